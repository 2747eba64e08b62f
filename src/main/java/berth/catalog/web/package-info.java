/**
 * The catalog's REST API under /api/v1: repositories, tags, tag details, deletion, full sync,
 * and the Distribution config fragment for system administrators.
 */
@NullMarked
package berth.catalog.web;

import org.jspecify.annotations.NullMarked;
