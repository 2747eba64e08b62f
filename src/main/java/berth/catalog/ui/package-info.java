/**
 * The catalog's console views for system administrators: full sync with its progress, and the
 * config that puts a CNCF Distribution behind Berth.
 */
@NullMarked
package berth.catalog.ui;

import org.jspecify.annotations.NullMarked;
