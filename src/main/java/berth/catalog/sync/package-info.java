/**
 * Keeps the store in step with the registry: registry events as they happen, a full sync that
 * repairs what events missed (one instance at a time, under a lease), and pull counts.
 */
package berth.catalog.sync;
