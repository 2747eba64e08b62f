/**
 * The OCI Distribution API at {@code /v2/}: one servlet, a route table kept as data
 * ({@link berth.registry.http.Routes}), small endpoint classes that translate HTTP to
 * {@link berth.registry.content} and back, the bearer-token check every request passes, and the
 * single translation of {@link berth.oci.RegistryException} into a status and an OCI error body.
 */
package berth.registry.http;
