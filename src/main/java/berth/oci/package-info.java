/**
 * The shared kernel of the OCI Distribution protocol: digests, names, tags, media types,
 * manifests and error codes, as plain Java values with no Spring in sight.
 */
package berth.oci;
