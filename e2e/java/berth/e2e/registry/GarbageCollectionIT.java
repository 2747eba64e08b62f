package berth.e2e.registry;

import berth.e2e.DistributionRegistry;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online garbage collection on the filesystem driver, proved with skopeo and CNCF Distribution's
 * own collector: deleted images come back as free disk, everything tagged still pulls byte for
 * byte, an index's untagged children stay, and Distribution finds nothing more to delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GarbageCollectionIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "gc";
    private static final long FIVE_MIB = 5L << 20;
    private static final Pattern ELIGIBLE = Pattern.compile("(\\d+) blobs marked, (\\d+) blobs and (\\d+) manifests eligible for deletion");

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;

    private Path work;
    private String key;

    @BeforeAll
    void tools() throws IOException {
        TestImages.requireTools();
        Tools.require("docker-registry");
        work = Files.createDirectories(WORK.resolve("gc"));
        key = adminAppkey(PROJECT);
    }

    @Test
    void deleting_tags_and_collecting_frees_the_unique_bytes_of_the_deleted_images_and_keeps_the_rest() throws Exception {
        String repository = PROJECT + "/reclaim";
        Map<String, Image> images = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            images.put("a" + i, TestImages.withRandomLayer(work, "a" + i, FIVE_MIB, 1000 + i));
        }
        Image shared = TestImages.withRandomLayer(work, "s1", FIVE_MIB, 2000);
        images.put("s1", shared);
        images.put("s2", layeredOn(shared, "s2", FIVE_MIB, 2001));
        for (var entry : images.entrySet()) {
            push(entry.getValue(), repository + ":" + entry.getKey());
        }
        // A clean start: whatever other tests left behind goes now, so the next run frees only what this test deletes.
        assertSucceeded(collect(false, true));

        List<String> deleted = List.of("a1", "a2", "a3", "s1");
        long unique = 0;
        for (String tag : deleted) {
            unique += uniqueBytes(images.get(tag), images.get("s2"));
        }
        RegistryHttp registry = new RegistryHttp(baseUrl());
        String token = token(repository, "pull", "push", "delete");
        for (String tag : deleted) {
            assertThat(registry.send("DELETE", "/v2/" + repository + "/manifests/" + tag, token, null).status()).isEqualTo(202);
        }
        long before = sizeOf(STORAGE_ROOT);
        JsonNode dry = collect(true, true);
        assertSucceeded(dry);
        assertThat(dry.path("manifestsDeleted").asLong()).as("a dry run counts the untagged manifests").isEqualTo(4);
        assertThat(dry.path("bytesFreed").asLong()).as("a dry run counts the bytes").isBetween(unique - unique / 100, unique + unique / 100);
        assertThat(sizeOf(STORAGE_ROOT)).as("a dry run deletes nothing").isEqualTo(before);

        JsonNode run = collect(false, true);
        assertSucceeded(run);
        long freed = before - sizeOf(STORAGE_ROOT);
        assertThat(freed).as("bytes the data directory shrank by, against the deleted images' unique bytes " + unique)
                .isBetween(unique - unique / 100, unique + unique / 100);
        assertThat(run.path("manifestsDeleted").asLong()).isEqualTo(4);
        assertThat(run.path("blobsDeleted").asLong()).as("3 x (manifest, config, layer) + s1's manifest and config").isEqualTo(11);
        assertThat(run.path("linksDeleted").asLong()).as("the _layers links of 3 x (config, layer) + s1's config").isEqualTo(7);
        assertThat(run.path("bytesFreed").asLong()).isEqualTo(dry.path("bytesFreed").asLong());
        assertAuditedManifestRemovals(repository, 4);

        for (var entry : images.entrySet()) {
            if (!deleted.contains(entry.getKey())) {
                assertPulls(repository + ":" + entry.getKey(), entry.getValue());
            }
        }
        assertDistributionFindsNothing();
    }

    @Test
    void the_untagged_children_of_a_tagged_index_survive_delete_untagged() throws Exception {
        String repository = PROJECT + "/multi";
        Image amd = TestImages.withFiles(work, "amd", Map.of("amd.txt", "amd64\n"));
        Image arm = TestImages.withFiles(work, "arm", Map.of("arm.txt", "arm64\n"));
        push(amd, repository + ":amd");
        push(arm, repository + ":arm");
        RegistryHttp registry = new RegistryHttp(baseUrl());
        String token = token(repository, "pull", "push", "delete");
        assertThat(registry.putIndex(repository, "both", "amd", "arm", token).status()).isEqualTo(201);
        // Only the index stays tagged: its children are untagged now, and referenced.
        for (String tag : List.of("amd", "arm")) {
            assertThat(registry.send("DELETE", "/v2/" + repository + "/manifests/" + tag, token, null).status()).isEqualTo(202);
        }

        assertSucceeded(collect(false, true));

        Path all = work.resolve("multi-after-gc");
        Tools.run(Tools.skopeo("copy", "--all", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + repository + ":both", "oci:" + all + ":pulled"))
                .requireSuccess("skopeo copy --all of the index after garbage collection with deleteUntagged");
        assertDistributionFindsNothing();
    }

    @Test
    void only_system_administrators_collect_and_a_second_run_waits_its_turn() {
        project(PROJECT);
        api.createAccount("gc-member@example.test", "member-password-123");
        api.putMember(PROJECT, "gc-member@example.test", "ADMIN");
        BerthApi.Reply refused = api.post("/api/v1/registry/gc", "gc-member@example.test", "member-password-123", Map.of("dryRun", true));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("error")).isEqualTo("forbidden");
        assertThat(api.get("/api/v1/registry/gc", "gc-member@example.test", "member-password-123").status()).isEqualTo(403);
        assertThat(api.get("/api/v1/registry/gc/1", "gc-member@example.test", "member-password-123").status()).isEqualTo(403);

        // Another instance holds the lease: a run here is refused until it lets go.
        jdbc.update("INSERT INTO work_lease (name, holder, acquired_at, expires_at) VALUES ('registry-gc', 'another-instance', ?, ?)",
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(5));
        try {
            BerthApi.Reply busy = api.post("/api/v1/registry/gc", ADMIN, ADMIN_PASSWORD, Map.of("dryRun", true));
            assertThat(busy.status()).as(busy.raw()).isEqualTo(409);
            assertThat(busy.text("message")).contains("another-instance");
        } finally {
            jdbc.update("DELETE FROM work_lease WHERE name = 'registry-gc' AND holder = 'another-instance'");
        }

        BerthApi.Reply unknown = api.get("/api/v1/registry/gc/999999", ADMIN, ADMIN_PASSWORD);
        assertThat(unknown.status()).isEqualTo(404);
        BerthApi.Reply listed = api.get("/api/v1/registry/gc", ADMIN, ADMIN_PASSWORD);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().isArray()).isTrue();
    }

    /** Starts a run with grace 0, waits for its end, returns its record. */
    /**
     * The audit log hears of the untagged manifests a run removed, as the catalog and webhooks do: through the outbox, in
     * batches, by the system.
     */
    private void assertAuditedManifestRemovals(String repository, int count) throws InterruptedException {
        String query = "/api/v1/audit?action=DELETE_MANIFEST&actor=system&repository=" + repository + "&size=100";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode listing = api.get(query, ADMIN, ADMIN_PASSWORD).json();
        while (listing.path("items").size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            listing = api.get(query, ADMIN, ADMIN_PASSWORD).json();
        }
        assertThat(listing.path("items").size()).as("DELETE_MANIFEST records by the system for " + repository + ": " + listing)
                .isEqualTo(count);
    }

    private JsonNode collect(boolean dryRun, boolean deleteUntagged) throws InterruptedException {
        BerthApi.Reply started = null;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            started = api.post("/api/v1/registry/gc", ADMIN, ADMIN_PASSWORD, Map.of("dryRun", dryRun, "deleteUntagged", deleteUntagged, "grace", "PT0S"));
            if (started.status() != 409) {
                break; // 409: another test class's run is going on
            }
            Thread.sleep(200);
        }
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        assertThat(started.text("state")).isIn("RUNNING", "SUCCEEDED");
        while (Instant.now().isBefore(deadline)) {
            BerthApi.Reply run = api.get("/api/v1/registry/gc/" + id, ADMIN, ADMIN_PASSWORD);
            assertThat(run.status()).isEqualTo(200);
            if (!"RUNNING".equals(run.text("state"))) {
                return run.json();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("garbage collection run " + id + " did not finish in 2 minutes");
    }

    private static void assertSucceeded(JsonNode run) {
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("errors").asInt()).as(run.toString()).isZero();
        assertThat(run.path("finishedAt").isMissingNode() || run.path("finishedAt").isNull()).isFalse();
    }

    private void assertDistributionFindsNothing() throws IOException {
        String output = DistributionRegistry.garbageCollectDryRun(STORAGE_ROOT, work, false);
        Matcher matcher = ELIGIBLE.matcher(output);
        assertThat(matcher.find()).as("docker-registry garbage-collect --dry-run printed:\n" + output).isTrue();
        assertThat(matcher.group(2)).as("blobs eligible after Berth collected:\n" + output).isEqualTo("0");
        assertThat(matcher.group(3)).as("manifests eligible after Berth collected:\n" + output).isEqualTo("0");
    }

    private void assertPulls(String reference, Image image) {
        Path pulled = work.resolve("pulled-" + reference.replace('/', '-').replace(':', '-') + "-" + System.nanoTime());
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + reference, "oci:" + pulled + ":pulled"))
                .requireSuccess("skopeo pull of " + reference + " after garbage collection");
        assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(image.layout(), image.tag()));
    }

    private void push(Image image, String reference) {
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + key, image.oci(),
                "docker://" + address() + "/" + reference)).requireSuccess("skopeo push of " + reference);
    }

    /** The bytes of {@code image}'s manifest, config and layers that {@code keeper} does not share. */
    private static long uniqueBytes(Image image, Image keeper) throws IOException {
        Map<String, String> kept = TestImages.contentOf(keeper.layout(), keeper.tag());
        long bytes = 0;
        for (var entry : TestImages.contentOf(image.layout(), image.tag()).entrySet()) {
            if (!entry.getKey().equals("manifest") && !kept.containsKey(entry.getKey())) {
                bytes += Files.size(TestImages.blob(image.layout(), entry.getKey()));
            }
        }
        return bytes;
    }

    /** A copy of {@code base} with one more layer of random bytes on top, tagged {@code tag}: the two share base's layer. */
    private Image layeredOn(Image base, String tag, long bytes, long seed) throws IOException {
        Path dir = Files.createTempDirectory(work, "layered-");
        Path layout = dir.resolve("layout");
        Tools.run(List.of("cp", "-a", base.layout().toString(), layout.toString())).requireSuccess("cp of the base layout");
        Path bundle = dir.resolve("bundle");
        Tools.run(List.of("umoci", "unpack", "--rootless", "--image", layout + ":" + base.tag(), bundle.toString())).requireSuccess("umoci unpack");
        TestImages.writeRandom(bundle.resolve("rootfs/more.bin"), bytes, seed);
        Tools.run(List.of("umoci", "repack", "--image", layout + ":" + tag, bundle.toString())).requireSuccess("umoci repack");
        return new Image(layout, tag);
    }

    private static long sizeOf(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
