package berth.registry.http;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The route table as data: which path is which route, with which parameters and permissions. */
class RoutesTest {

    /**
     * Routing only reads the table, never calls a handler, so the endpoints get no collaborators:
     * the handlers are bound to them, not to what they would use.
     */
    private final Routes routes = new Routes(new ListingEndpoints(null, null, null, null), new ManifestEndpoints(null, null),
            new BlobEndpoints(null), new UploadEndpoints(null, null, null, null, null));

    @Test
    void the_base_answers_with_and_without_its_slash_to_any_valid_token() {
        for (String path : new String[] {"/v2/", "/v2"}) {
            Routes.Match match = routes.match(path).orElseThrow();
            assertThat(match.route().id()).isEqualTo("base");
            assertThat(match.name()).isNull();
            assertThat(permissions(match)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("GET", Permission.AUTHENTICATED, "HEAD", Permission.AUTHENTICATED));
        }
    }

    @Test
    void the_catalog_needs_the_catalog_scope() {
        Routes.Match match = routes.match("/v2/_catalog").orElseThrow();
        assertThat(match.route().id()).isEqualTo("catalog");
        assertThat(permissions(match)).containsExactlyInAnyOrderEntriesOf(Map.of("GET", Permission.CATALOG));
    }

    @Test
    void a_name_holds_slashes_up_to_the_last_fixed_segment() {
        assertRoute("/v2/team/app/tags/list", "tags", Map.of("name", "team/app"));
        assertRoute("/v2/a/b/c/manifests/latest", "manifest", Map.of("name", "a/b/c", "reference", "latest"));
        assertRoute("/v2/team/app/referrers/sha256:abc", "referrers", Map.of("name", "team/app", "digest", "sha256:abc"));
        assertRoute("/v2/team/app/blobs/sha256:abc", "blob", Map.of("name", "team/app", "digest", "sha256:abc"));
        assertRoute("/v2/team/app/blobs/uploads/", "upload-start", Map.of("name", "team/app"));
        assertRoute("/v2/team/app/blobs/uploads", "upload-start", Map.of("name", "team/app"));
        assertRoute("/v2/team/app/blobs/uploads/5f0c1d2e-0000-4000-8000-000000000001", "upload",
                Map.of("name", "team/app", "uuid", "5f0c1d2e-0000-4000-8000-000000000001"));
    }

    @Test
    void a_repository_named_like_a_fixed_segment_is_still_a_name() {
        assertRoute("/v2/team/manifests/app/manifests/v1", "manifest", Map.of("name", "team/manifests/app", "reference", "v1"));
        assertRoute("/v2/team/blobs/uploads/blobs/sha256:abc", "blob", Map.of("name", "team/blobs/uploads", "digest", "sha256:abc"));
        assertRoute("/v2/tags/list/tags/list", "tags", Map.of("name", "tags/list"));
    }

    @Test
    void each_method_asks_for_what_it_does() {
        assertThat(permissions(routes.match("/v2/team/app/manifests/v1").orElseThrow())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET", Permission.PULL, "HEAD", Permission.PULL, "PUT", Permission.PUSH, "DELETE", Permission.DELETE));
        assertThat(permissions(routes.match("/v2/team/app/blobs/sha256:abc").orElseThrow())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET", Permission.PULL, "HEAD", Permission.PULL, "DELETE", Permission.DELETE));
        assertThat(permissions(routes.match("/v2/team/app/blobs/uploads/x").orElseThrow())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET", Permission.PUSH, "PATCH", Permission.PUSH, "PUT", Permission.PUSH, "DELETE", Permission.PUSH));
        assertThat(permissions(routes.match("/v2/team/app/blobs/uploads/").orElseThrow()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("POST", Permission.PUSH));
        assertThat(permissions(routes.match("/v2/team/app/tags/list").orElseThrow()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("GET", Permission.PULL));
    }

    @Test
    void paths_outside_the_api_match_nothing() {
        for (String path : new String[] {"/v3/", "/v2/team/app", "/v2/team/app/unknown", "/v2/team/app/manifests/",
                "/v2/team/app/blobs/a/b", "/v2/team/app/tags/list/more", "/v2//manifests/", "/api/v1/projects"}) {
            assertThat(routes.match(path)).as(path).isEqualTo(Optional.empty());
        }
    }

    private void assertRoute(String path, String id, Map<String, String> parameters) {
        Routes.Match match = routes.match(path).orElseThrow(() -> new AssertionError("no route for " + path));
        assertThat(match.route().id()).as(path).isEqualTo(id);
        assertThat(match.parameters()).as(path).containsExactlyInAnyOrderEntriesOf(parameters);
    }

    private static Map<String, Permission> permissions(Routes.Match match) {
        Map<String, Permission> permissions = new java.util.LinkedHashMap<>();
        match.route().operations().forEach((method, operation) -> permissions.put(method, operation.permission()));
        return permissions;
    }
}
