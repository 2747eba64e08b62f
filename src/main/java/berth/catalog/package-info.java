/**
 * The console's read model of what the registry holds, synced over the v2 API and its
 * notifications, so that no page view waits on the registry.
 */
package berth.catalog;
