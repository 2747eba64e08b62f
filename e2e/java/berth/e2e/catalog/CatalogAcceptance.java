package berth.e2e.catalog;

import berth.auth.RegistryTokens;
import berth.catalog.sync.CatalogSync;
import berth.e2e.AttachedArtifacts;
import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.oci.Access;
import berth.testing.BerthApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's acceptance, the same against every registry: pushes with skopeo show up within a
 * second without a full sync, deleting one of two tags on a digest leaves the other, a member
 * cannot delete, a full sync rebuilds an emptied catalog to what the registry holds, and the
 * notifications endpoint refuses what it should. Subclasses say which registry and how to reach it.
 */
abstract class CatalogAcceptance {

    static final String ADMIN = "admin@example.test";
    static final String ADMIN_PASSWORD = "admin-password-for-tests";
    static final String MEMBER = "member@example.test";
    static final String MEMBER_PASSWORD = "member-password-for-tests";
    static final Duration WITHIN = Duration.ofSeconds(1);

    @Autowired
    RegistryTokens tokens;

    @Autowired
    CatalogSync sync;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    static Path images;

    /** Where the registry under test listens, e.g. {@code http://127.0.0.1:5000}. */
    abstract String registryUrl();

    /** {@code host:port} of the registry under test, for skopeo. */
    abstract String registryHost();

    /** Berth's base URL. */
    abstract String berthUrl();

    /** The project every test here pushes to; distinct per subclass so they never share repositories. */
    abstract String project();

    BerthApi api() {
        return new BerthApi(java.net.URI.create(berthUrl()).getPort());
    }

    RegistryView registry() {
        // As the system administrator: the embedded engine lists in _catalog only what the subject may pull.
        return new RegistryView(registryUrl(), scope -> scope.startsWith("registry:")
                ? tokens.issue(ADMIN, List.of(Access.catalog())).token()
                : tokens.issue(ADMIN, List.of(Access.repository(scope, Set.of(Access.PULL)))).token());
    }

    static TestImages.Layout layout() {
        return TestImages.Layout.in(images);
    }

    void push(String layoutTag, String repository, String tag, boolean all) {
        String token = tokens.issue("pusher@example.test", List.of(Access.repository(repository, Set.of(Access.PULL, Access.PUSH)))).token();
        List<String> args = new java.util.ArrayList<>(List.of("copy", "--quiet", "--dest-tls-verify=false", "--dest-registry-token", token));
        if (all) {
            args.add("--all");
        }
        args.add("oci:" + layout().layout() + ":" + layoutTag);
        args.add("docker://" + registryHost() + "/" + repository + ":" + tag);
        Tools.run(images, "skopeo", args.toArray(String[]::new));
    }

    void pull(String repository, String tag) {
        fetchManifest(repository, ":" + tag);
    }

    /** A pull as containerd makes it: the manifest by digest. */
    void pullByDigest(String repository, String digest) {
        fetchManifest(repository, "@" + digest);
    }

    private void fetchManifest(String repository, String reference) {
        String token = tokens.issue("puller@example.test", List.of(Access.repository(repository, Set.of(Access.PULL)))).token();
        Tools.run(images, "skopeo", "inspect", "--raw", "--tls-verify=false", "--registry-token", token,
                "docker://" + registryHost() + "/" + repository + reference);
    }

    /** What a client checking for a newer image does: a HEAD of the tag's manifest. It fetches nothing. */
    void head(String repository, String tag) throws Exception {
        String token = tokens.issue("puller@example.test", List.of(Access.repository(repository, Set.of(Access.PULL)))).token();
        java.net.http.HttpResponse<Void> head = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + registryHost() + "/v2/" + repository + "/manifests/" + tag))
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
    }

    BerthApi.Reply tagDetails(String repository, String tag) {
        String path = repository.substring(project().length() + 1);
        return api().get("/api/v1/projects/" + project() + "/repositories/" + path + "/tags/" + tag, ADMIN, ADMIN_PASSWORD);
    }

    /** Waits for a condition; returns how long it took, or fails after {@code limit}. */
    static Duration await(Duration limit, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError(what + " did not happen within " + limit.toMillis() + " ms");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * One push through the whole path before the timed tests: the first ever event pays for class
     * loading and JIT in a JVM that has served nothing yet, which a running Berth has long paid.
     */
    void warmUp() {
        createProjectWithMember();
        layout().image("warm-up", "amd64", "warm-up");
        push("warm-up", project() + "/warm-up", "1", false);
        await(Duration.ofSeconds(20), "the warm-up push in the catalog", () -> tagDetails(project() + "/warm-up", "1").status() == 200);
    }

    /** The project, and a plain account that is a MEMBER of it, made through the REST API as an operator would. */
    void createProjectWithMember() {
        BerthApi setup = api();
        setup.createProject(ADMIN, ADMIN_PASSWORD, project());
        setup.createAccount(MEMBER, MEMBER_PASSWORD);
        setup.putMember(project(), MEMBER, "MEMBER");
    }

    @Test
    void a_pushed_image_is_in_the_catalog_within_a_second_with_digest_size_created_time_and_layers() throws Exception {
        TestImages.Layout.Image image = layout().image("single", "amd64", "single platform");
        String repository = project() + "/apps/web";
        Instant lastFullSync = sync.status().startedAt();

        push("single", repository, "1.0", false);
        Duration took = await(WITHIN, "the pushed tag showing in the catalog", () -> tagDetails(repository, "1.0").status() == 200);

        JsonNode details = tagDetails(repository, "1.0").json();
        assertThat(details.at("/tag/digest").asString()).isEqualTo(image.digest());
        assertThat(details.at("/tag/size").asLong()).isEqualTo(image.totalSize());
        assertThat(details.at("/tag/platforms").asString()).isEqualTo("linux/amd64");
        assertThat(Instant.parse(details.at("/createdAt").asString())).isEqualTo(image.created().truncatedTo(ChronoUnit.MICROS));
        assertThat(details.at("/image/configDigest").asString()).isEqualTo(image.configDigest());
        assertThat(details.at("/image/config/entrypoint/0").asString()).isEqualTo("/bin/berth-test");
        assertThat(details.at("/image/config/labels/org.example.team").asString()).isEqualTo("berth");
        assertThat(details.at("/image/config/exposedPorts/0").asString()).isEqualTo("8080/tcp");
        assertThat(details.at("/image/config/user").asString()).isEqualTo("1000");
        assertThat(details.at("/image/layers").size()).isEqualTo(image.layers().size());
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(details.at("/image/layers/" + i + "/digest").asString()).isEqualTo(image.layers().get(i).digest());
            assertThat(details.at("/image/layers/" + i + "/size").asLong()).isEqualTo(image.layers().get(i).size());
        }
        String host = details.at("/tag/pullByTag").asString().split("/")[0];
        assertThat(details.at("/tag/pullByTag").asString()).isEqualTo(host + "/" + repository + ":1.0");
        assertThat(details.at("/tag/pullByDigest").asString()).isEqualTo(host + "/" + repository + "@" + image.digest());
        assertThat(sync.status().startedAt()).as("no full sync ran: the event did it").isEqualTo(lastFullSync);
        assertThat(took).isLessThan(WITHIN);

        pull(repository, "1.0");
        await(WITHIN, "the pull being counted", () -> tagDetails(repository, "1.0").json().at("/tag/pullCount").asLong() == 1);
        // Neither a client's HEAD nor the catalog's own reads in a full sync are pulls; a GET by digest is one.
        head(repository, "1.0");
        assertThat(sync.runNow().state()).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        pullByDigest(repository, image.digest());
        await(WITHIN, "the pull by digest being counted", () -> tagDetails(repository, "1.0").json().at("/tag/pullCount").asLong() >= 2);
        long settle = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < settle) {
            assertThat(tagDetails(repository, "1.0").json().at("/tag/pullCount").asLong()).as("HEAD and sync counted as pulls").isEqualTo(2);
            Thread.sleep(100);
        }

        JsonNode list = api().get("/api/v1/projects/" + project() + "/repositories?filter=apps", ADMIN, ADMIN_PASSWORD).json();
        assertThat(list.at("/items/0/name").asString()).isEqualTo(repository);
        assertThat(list.at("/items/0/tagCount").asInt()).isEqualTo(1);
        assertThat(list.at("/items/0/totalSize").asLong()).isEqualTo(image.totalSize());
    }

    /** Where this mode's storage usage is counted: STORAGE (the embedded engine) or CATALOG (external mode). */
    abstract String usageCountedFrom();

    @Test
    void storage_usage_counts_an_image_in_each_repository_holding_it_and_once_in_the_project() {
        // An image of its own: the layout's "single" belongs to another test, and each name is unpacked once.
        TestImages.Layout.Image image = layout().image("counted", "amd64", "counted in two repositories");
        String one = project() + "/usage/one";
        String two = project() + "/usage/two";
        push("counted", one, "1", false);
        push("counted", two, "1", false);
        String path = "/api/v1/projects/" + project() + "/usage";
        await(WITHIN, "both repositories counted", () -> {
            JsonNode usage = api().get(path, MEMBER, MEMBER_PASSWORD).json();
            return repositoryBytes(usage, one) == image.totalSize() && repositoryBytes(usage, two) == image.totalSize();
        });
        JsonNode usage = api().get(path, MEMBER, MEMBER_PASSWORD).json();
        assertThat(usage.path("countedFrom").asString()).isEqualTo(usageCountedFrom());
        assertThat(usage.path("usedBytes").asLong()).as("the project counts the shared image's blobs once").isGreaterThanOrEqualTo(image.totalSize());
        long everyRepository = 0;
        for (JsonNode repository : usage.path("repositories")) {
            everyRepository += repository.path("usedBytes").asLong();
        }
        assertThat(usage.path("usedBytes").asLong()).as("the project counts the shared image's blobs once")
                .isLessThanOrEqualTo(everyRepository - image.totalSize());
        long used = usage.path("usedBytes").asLong();
        await(Duration.ofSeconds(15), "berth_project_storage_bytes to say the project's " + used + " bytes", () -> storageGauge() == used);
    }

    /** {@code berth_project_storage_bytes} of the project, or -1 before the gauge has a series for it; read every 200 ms at most. */
    private long storageGauge() {
        try {
            Thread.sleep(200);
            return (long) api().metric("berth_project_storage_bytes", "project=\"" + project() + "\"");
        } catch (AssertionError noSeriesYet) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long repositoryBytes(JsonNode usage, String repository) {
        for (JsonNode entry : usage.path("repositories")) {
            if (repository.equals(entry.path("repository").asString())) {
                return entry.path("usedBytes").asLong();
            }
        }
        return -1;
    }

    @Test
    void a_pushed_two_platform_index_shows_both_platforms_within_a_second() {
        TestImages.Layout.Index index = layout().twoPlatformIndex("multi", "two platforms");
        String repository = project() + "/multi";

        push("multi", repository, "latest", true);
        await(WITHIN, "the pushed index showing in the catalog", () -> tagDetails(repository, "latest").status() == 200);

        JsonNode details = tagDetails(repository, "latest").json();
        assertThat(details.at("/tag/digest").asString()).isEqualTo(index.digest());
        assertThat(details.at("/tag/mediaType").asString()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(details.at("/tag/size").asLong()).isEqualTo(index.totalSize());
        assertThat(details.at("/tag/platforms").asString()).isEqualTo("linux/amd64, linux/arm64");
        assertThat(details.at("/platforms").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            TestImages.Layout.Image platform = index.platforms().get(i);
            assertThat(details.at("/platforms/" + i + "/digest").asString()).isEqualTo(platform.digest());
            assertThat(details.at("/platforms/" + i + "/architecture").asString()).isEqualTo(platform.architecture());
            assertThat(details.at("/platforms/" + i + "/image/layers/0/digest").asString()).isEqualTo(platform.layers().getFirst().digest());
            assertThat(Instant.parse(details.at("/platforms/" + i + "/image/createdAt").asString()))
                    .isEqualTo(platform.created().truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Test
    void deleting_one_of_two_tags_on_a_digest_removes_only_that_tag_and_a_member_may_not_delete() {
        TestImages.Layout.Image image = layout().image("shared", "amd64", "shared digest");
        String repository = project() + "/shared";
        push("shared", repository, "a", false);
        push("shared", repository, "b", false);
        await(WITHIN, "both tags in the catalog", () -> tagDetails(repository, "a").status() == 200 && tagDetails(repository, "b").status() == 200);

        BerthApi.Reply refused = api().delete("/api/v1/projects/" + project() + "/repositories/shared/tags/a", MEMBER, MEMBER_PASSWORD);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asString()).isEqualTo("forbidden");
        assertThat(registry().tags(repository)).containsExactlyInAnyOrder("a", "b");
        assertThat(tagDetails(repository, "a").status()).isEqualTo(200);
        assertThat(api().get("/api/v1/projects/" + project() + "/repositories/shared/tags/a", MEMBER, MEMBER_PASSWORD).status())
                .as("a member may look").isEqualTo(200);

        BerthApi.Reply deleted = api().delete("/api/v1/projects/" + project() + "/repositories/shared/tags/a", ADMIN, ADMIN_PASSWORD);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);

        assertThat(registry().tags(repository)).containsExactly("b");
        assertThat(registry().digest(repository, "b")).contains(image.digest());
        assertThat(registry().digest(repository, "a")).isEmpty();
        assertThat(tagDetails(repository, "a").status()).isEqualTo(404);
        assertThat(tagDetails(repository, "b").json().at("/tag/digest").asString()).isEqualTo(image.digest());
        // The registry's own events about the deletion arrive afterwards and must not bring anything back.
        sleep(Duration.ofMillis(700));
        assertThat(tagDetails(repository, "a").status()).isEqualTo(404);
        JsonNode tags = api().get("/api/v1/projects/" + project() + "/repositories/shared/tags", ADMIN, ADMIN_PASSWORD).json();
        assertThat(tags.at("/totalItems").asLong()).isEqualTo(1);
        assertThat(tags.at("/items/0/name").asString()).isEqualTo("b");
    }

    @Test
    void artifacts_attached_to_an_image_by_digest_show_in_its_tag_details_and_leave_when_deleted() {
        TestImages.Layout.Image image = layout().image("signed", "amd64", "signed image");
        String repository = project() + "/signed";
        push("signed", repository, "1.0", false);
        await(WITHIN, "the pushed tag in the catalog", () -> tagDetails(repository, "1.0").status() == 200);
        JsonNode details = tagDetails(repository, "1.0").json();
        assertThat(details.at("/attached").isArray()).isTrue();
        assertThat(details.at("/attached")).isEmpty();
        Instant before = Instant.now().minusSeconds(1);

        String token = tokens.issue("pusher@example.test", List.of(Access.repository(repository, Set.of(Access.PULL, Access.PUSH, Access.DELETE)))).token();
        AttachedArtifacts artifacts = new AttachedArtifacts(registryUrl(), token);
        AttachedArtifacts.Subject subject = new AttachedArtifacts.Subject(details.at("/tag/mediaType").asString(), image.digest(),
                details.at("/manifestSize").asLong());
        AttachedArtifacts.Pushed signature = artifacts.attach(repository, subject, "application/vnd.dev.cosign.artifact.sig.v1+json",
                "application/vnd.dev.cosign.simplesigning.v1+json", "{\"critical\":{\"image\":{}}}");
        AttachedArtifacts.Pushed sbom = artifacts.attach(repository, subject, "application/spdx+json", "application/spdx+json",
                "{\"spdxVersion\":\"SPDX-2.3\"}");
        await(Duration.ofSeconds(5), "both attached artifacts in the tag's details",
                () -> tagDetails(repository, "1.0").json().at("/attached").size() == 2);

        Map<String, JsonNode> attached = new TreeMap<>();
        tagDetails(repository, "1.0").json().at("/attached").forEach(a -> attached.put(a.path("digest").asString(), a));
        assertThat(attached).containsOnlyKeys(signature.digest(), sbom.digest());
        assertThat(attached.get(signature.digest()).path("artifactType").asString()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
        assertThat(attached.get(sbom.digest()).path("artifactType").asString()).isEqualTo("application/spdx+json");
        assertThat(attached.get(sbom.digest()).path("size").asLong()).isEqualTo(sbom.totalSize());
        assertThat(attached.get(sbom.digest()).path("mediaType").asString()).isEqualTo(AttachedArtifacts.OCI_MANIFEST);
        assertThat(Instant.parse(attached.get(sbom.digest()).path("pushedAt").asString())).isAfter(before);
        // An attached artifact is no tag: not in the tag list, and a full sync (which lists tags) keeps it.
        assertThat(api().get("/api/v1/projects/" + project() + "/repositories/signed/tags", ADMIN, ADMIN_PASSWORD).json()
                .at("/totalItems").asLong()).isEqualTo(1);
        assertThat(sync.runNow().state()).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        assertThat(tagDetails(repository, "1.0").json().at("/attached").size()).isEqualTo(2);

        artifacts.delete(repository, signature.digest());
        await(Duration.ofSeconds(5), "the deleted signature gone from the tag's details",
                () -> tagDetails(repository, "1.0").json().at("/attached").size() == 1);
        assertThat(tagDetails(repository, "1.0").json().at("/attached/0/digest").asString()).isEqualTo(sbom.digest());
    }

    @Test
    void deleting_a_repository_removes_all_its_tags_from_registry_and_catalog() {
        layout().image("doomed", "amd64", "doomed repository");
        String repository = project() + "/doomed/app";
        push("doomed", repository, "x", false);
        push("doomed", repository, "y", false);
        await(WITHIN, "both tags in the catalog", () -> tagDetails(repository, "y").status() == 200 && tagDetails(repository, "x").status() == 200);

        BerthApi.Reply deleted = api().delete("/api/v1/projects/" + project() + "/repositories/doomed/app", ADMIN, ADMIN_PASSWORD);

        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
        assertThat(registry().tags(repository)).isEmpty();
        assertThat(api().get("/api/v1/projects/" + project() + "/repositories/doomed/app", ADMIN, ADMIN_PASSWORD).status()).isEqualTo(404);
    }

    @Test
    void a_catalog_emptied_by_hand_is_rebuilt_by_a_full_sync_to_exactly_what_the_registry_holds() {
        layout().image("rebuild", "amd64", "rebuild");
        push("rebuild", project() + "/rebuild/one", "1", false);
        push("rebuild", project() + "/rebuild/two", "2", false);
        await(WITHIN, "the pushes in the catalog", () -> tagDetails(project() + "/rebuild/two", "2").status() == 200);

        jdbc.update("DELETE FROM catalog_tag");
        jdbc.update("DELETE FROM catalog_repository");
        jdbc.update("DELETE FROM catalog_manifest");
        assertThat(catalogContents()).isEmpty();

        CatalogSync.SyncStatus status = sync.runNow();

        assertThat(status.state()).as(String.valueOf(status.message())).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        assertThat(catalogContents()).isEqualTo(registry().contents()).isNotEmpty();
        BerthApi.Reply api = api().get("/api/v1/catalog/sync", ADMIN, ADMIN_PASSWORD);
        assertThat(api.json().path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.json().path("repositoriesDone").asInt()).isEqualTo(api.json().path("repositoriesTotal").asInt());
    }

    @Test
    void a_full_sync_puts_right_a_catalog_gone_stale_tag_by_tag() {
        TestImages.Layout.Image first = layout().image("stale-a", "amd64", "stale a");
        TestImages.Layout.Image second = layout().image("stale-b", "amd64", "stale b");
        String repository = project() + "/stale";
        push("stale-a", repository, "a", false);
        push("stale-b", repository, "b", false);
        push("stale-a", repository, "kept", false);
        await(WITHIN, "the pushes in the catalog", () -> tagDetails(repository, "a").status() == 200
                && tagDetails(repository, "b").status() == 200 && tagDetails(repository, "kept").status() == 200);
        Map<String, Object> figures = jdbc.queryForMap("SELECT tag_count, total_size FROM catalog_repository WHERE name = ?", repository);

        // By hand, as if events had been lost long ago: "a" on the other digest, "kept" missing, a tag the
        // registry never had, and the repository's figures wrong.
        long id = jdbc.queryForObject("SELECT id FROM catalog_repository WHERE name = ?", Long.class, repository);
        java.sql.Timestamp longAgo = java.sql.Timestamp.from(Instant.parse("2000-01-01T00:00:00Z"));
        jdbc.update("UPDATE catalog_tag SET digest = ?, observed_at = ? WHERE repository_id = ? AND name = 'a'", second.digest(), longAgo, id);
        jdbc.update("DELETE FROM catalog_tag WHERE repository_id = ? AND name = 'kept'", id);
        jdbc.update("INSERT INTO catalog_tag (repository_id, name, digest, media_type, size, platforms, pushed_at, pull_count, observed_at) "
                + "SELECT repository_id, 'phantom', digest, media_type, size, platforms, pushed_at, 0, ? FROM catalog_tag "
                + "WHERE repository_id = ? AND name = 'b'", longAgo, id);
        jdbc.update("UPDATE catalog_repository SET tag_count = 99, total_size = 1 WHERE id = ?", id);

        CatalogSync.SyncStatus status = sync.runNow();

        assertThat(status.state()).as(String.valueOf(status.message())).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        assertThat(catalogContents().get(repository)).isEqualTo(registry().contents().get(repository))
                .containsEntry("a", first.digest()).containsEntry("kept", first.digest()).doesNotContainKey("phantom");
        assertThat(jdbc.queryForMap("SELECT tag_count, total_size FROM catalog_repository WHERE name = ?", repository))
                .isEqualTo(figures);
        assertThat(((Number) figures.get("tag_count")).intValue()).isEqualTo(3);
    }

    @Test
    void notifications_with_a_wrong_or_missing_secret_are_refused_and_change_nothing_and_malformed_ones_get_400() {
        layout().image("notified", "amd64", "notifications");
        String repository = project() + "/notified";
        push("notified", repository, "v", false);
        await(WITHIN, "the push in the catalog", () -> tagDetails(repository, "v").status() == 200);
        byte[] pull = ("{\"events\":[{\"id\":\"%s\",\"timestamp\":\"%s\",\"action\":\"pull\",\"target\":{\"repository\":\"%s\",\"tag\":\"v\"},"
                + "\"actor\":{\"name\":\"someone\"}}]}").formatted(java.util.UUID.randomUUID(), Instant.now(), repository)
                .getBytes(StandardCharsets.UTF_8);
        String type = "application/vnd.docker.distribution.events.v1+json";

        assertThat(api().postRaw("/api/registry/events", type, pull, "Authorization", "not-the-secret").status()).isEqualTo(401);
        assertThat(api().postRaw("/api/registry/events", type, pull).status()).isEqualTo(401);
        sleep(Duration.ofMillis(300));
        assertThat(tagDetails(repository, "v").json().at("/tag/pullCount").asLong()).isZero();

        BerthApi.Reply malformed = api().postRaw("/api/registry/events", type, "{\"events\":[{\"id\":".getBytes(StandardCharsets.UTF_8),
                "Authorization", eventsSecret());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").asString()).isEqualTo("invalid_request");
        assertThat(api().postRaw("/api/registry/events", type, "{\"events\":[{\"action\":\"push\"}]}".getBytes(StandardCharsets.UTF_8),
                "Authorization", eventsSecret()).status()).isEqualTo(400);

        // The same envelope with the right secret does count: the refusals above were for the secret.
        assertThat(api().postRaw("/api/registry/events", type, pull, "Authorization", eventsSecret()).status()).isEqualTo(200);
        await(WITHIN, "the pull counted", () -> tagDetails(repository, "v").json().at("/tag/pullCount").asLong() == 1);
    }

    @Test
    void prometheus_reports_the_last_full_sync_and_the_lag_of_applied_push_events() {
        double pushesBefore = metric("berth_catalog_event_lag_seconds_count", "action=\"push\"");
        layout().image("metered", "amd64", "metrics");
        push("metered", project() + "/metered", "1", false);
        await(WITHIN, "the push in the catalog", () -> tagDetails(project() + "/metered", "1").status() == 200);
        await(WITHIN, "the push's lag recorded", () -> metric("berth_catalog_event_lag_seconds_count", "action=\"push\"") > pushesBefore);
        double lag = metric("berth_catalog_event_lag_seconds_max", "action=\"push\"");
        assertThat(lag).as("seconds from the push event's timestamp to the catalog").isBetween(0.0, 30.0);

        CatalogSync.SyncStatus status = sync.runNow();

        assertThat(status.state()).as(String.valueOf(status.message())).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        assertThat(metric("berth_catalog_full_sync_last_finished_seconds", ""))
                .isCloseTo(status.finishedAt().toEpochMilli() / 1000.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(metric("berth_catalog_full_sync_last_outcome", "outcome=\"succeeded\"")).isEqualTo(1.0);
        assertThat(metric("berth_catalog_full_sync_last_outcome", "outcome=\"failed\"")).isEqualTo(0.0);
        assertThat(metric("berth_catalog_full_sync_last_repositories", "")).isEqualTo(status.repositoriesTotal()).isPositive();
        assertThat(metric("berth_catalog_full_sync_last_tags", "")).isEqualTo(status.tags()).isPositive();
        assertThat(metric("berth_catalog_full_sync_duration_seconds_count", "outcome=\"succeeded\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("berth_catalog_full_sync_duration_seconds_max", "outcome=\"succeeded\"")).isPositive();
        assertThat(metric("berth_catalog_full_sync_skipped_total", "")).as("one instance: nothing to skip for").isZero();
        assertThat(api().get("/actuator/prometheus", MEMBER, MEMBER_PASSWORD).status()).as("metrics are for system admins").isEqualTo(403);
    }

    double metric(String name, String label) {
        return api().metric(name, label);
    }

    abstract String eventsSecret();

    /** Repository → tag → digest, as the catalog's API lists them. */
    Map<String, Map<String, String>> catalogContents() {
        Map<String, Map<String, String>> contents = new TreeMap<>();
        for (String project : jdbc.queryForList("SELECT DISTINCT project FROM catalog_repository", String.class)) {
            JsonNode repositories = api().get("/api/v1/projects/" + project + "/repositories?size=200", ADMIN, ADMIN_PASSWORD).json();
            for (JsonNode repository : repositories.path("items")) {
                String name = repository.path("name").asString();
                Map<String, String> tags = new TreeMap<>();
                JsonNode page = api().get("/api/v1/projects/" + project + "/repositories/" + name.substring(project.length() + 1)
                        + "/tags?size=200", ADMIN, ADMIN_PASSWORD).json();
                page.path("items").forEach(t -> tags.put(t.path("name").asString(), t.path("digest").asString()));
                contents.put(name, tags);
            }
        }
        return contents;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
