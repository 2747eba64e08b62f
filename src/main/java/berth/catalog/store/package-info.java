/**
 * The catalog's tables: repositories, tags and manifests as Berth last saw them, and the one
 * store that applies a repository's snapshot or an event to them under a per-repository lock.
 */
package berth.catalog.store;
