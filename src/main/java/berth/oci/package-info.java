/**
 * The shared kernel of the OCI Distribution protocol: digests, names, tags, media types,
 * manifests and error codes, as plain Java values with no Spring in sight.
 */
@NullMarked
package berth.oci;

import org.jspecify.annotations.NullMarked;
