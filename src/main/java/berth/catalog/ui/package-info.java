/**
 * The catalog's console views: repositories, tags and tag details of a project, and for system
 * administrators the full sync with its progress and the config that puts a CNCF Distribution behind Berth.
 */
package berth.catalog.ui;
