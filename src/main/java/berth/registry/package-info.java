/**
 * The embedded OCI Distribution engine served at /v2/: uploads, blobs, manifests, tags,
 * storage drivers in CNCF Distribution's layout, and the events a push or pull publishes.
 */
package berth.registry;
