/**
 * The registry as the catalog reaches it over the v2 API (Berth's own engine or CNCF Distribution),
 * with tokens it mints for itself, and the external registry's health and config fragment.
 */
package berth.catalog.remote;
