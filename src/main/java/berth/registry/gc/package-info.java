/**
 * Online garbage collection of the embedded engine's storage: mark what manifests reference, sweep
 * the rest behind a write barrier, one run at a time across instances, recorded and scheduled.
 */
@NullMarked
package berth.registry.gc;

import org.jspecify.annotations.NullMarked;
