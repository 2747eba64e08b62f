/**
 * The catalog's REST API under /api/v1: repositories, tags, tag details, deletion, full sync,
 * and the Distribution config fragment for system administrators.
 */
package berth.catalog.web;
