/**
 * The registry's console pages: garbage collection and storage usage for system administrators,
 * a project's storage for its members.
 */
@NullMarked
package berth.registry.ui;

import org.jspecify.annotations.NullMarked;
