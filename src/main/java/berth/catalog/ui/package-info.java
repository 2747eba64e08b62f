/**
 * The catalog's console views for system administrators: full sync with its progress, and the
 * config that puts a CNCF Distribution behind Berth.
 */
package berth.catalog.ui;
