/**
 * Storage usage per project and repository, kept current by the engine as it links and unlinks
 * content, and the project quotas checked against it before anything new is stored.
 */
@NullMarked
package berth.registry.usage;

import org.jspecify.annotations.NullMarked;
