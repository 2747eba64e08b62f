/**
 * The audit log's console pages: "Activity" of one project for its ADMINs, and of the whole
 * registry for system administrators, with filters, pages and a CSV download.
 */
@NullMarked
package berth.audit.ui;

import org.jspecify.annotations.NullMarked;
