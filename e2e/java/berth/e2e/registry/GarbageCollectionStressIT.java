package berth.e2e.registry;

import berth.testing.BerthApi;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage collection while the registry is busy, on the filesystem driver (see {@link GcStorm}):
 * with grace 0 and deleteUntagged the only failed pushes are MANIFEST_BLOB_UNKNOWN / BLOB_UNKNOWN
 * and everything left is whole; with the default grace period nothing fails. Bounded by
 * {@code -Dberth.gc.stress.seconds} (default 120).
 */
class GarbageCollectionStressIT extends EmbeddedRegistryTest {

    private static final List<String> REPOSITORIES = List.of("gcstress/a", "gcstress/b");

    @Test
    void pushes_deletes_and_collection_together_leave_every_tag_whole() throws Exception {
        project("gcstress");
        long seconds = Long.getLong("berth.gc.stress.seconds", 120);
        GcStorm storm = new GcStorm(new RegistryHttp(baseUrl()), () -> token(ADMIN, REPOSITORIES, "pull", "push", "delete"),
                grace -> collect(api, grace), REPOSITORIES, STORAGE_ROOT.resolve("docker/registry/v2"));
        assertStorms(storm, seconds, "filesystem");
    }

    /** A storm with grace 0 for {@code seconds}, then one with the default grace for a quarter of that (at least 20 s). */
    static void assertStorms(GcStorm storm, long seconds, String driver) throws Exception {
        GcStorm.Outcome withoutGrace = storm.storm(Duration.ofSeconds(seconds), Duration.ZERO);
        System.out.printf("GC stress (%s), grace 0: %d pushes, %d failed (%s), %d tags deleted, %d collections%n", driver,
                withoutGrace.pushes.sum(), withoutGrace.failures.size(), withoutGrace.failureCodes(), withoutGrace.deletes.sum(),
                withoutGrace.collections.get());
        assertThat(withoutGrace.collections.get()).as("collections that ran during the storm").isGreaterThan(2);
        assertThat(withoutGrace.pushes.sum()).as("pushes during the storm").isGreaterThanOrEqualTo(GcStorm.PUSHERS);
        assertThat(withoutGrace.failureCodes().keySet()).as("how failed pushes failed").isSubsetOf("MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN");
        storm.assertEverythingWhole();

        GcStorm.Outcome withGrace = storm.storm(Duration.ofSeconds(Math.max(20, seconds / 4)), null);
        System.out.printf("GC stress (%s), default grace: %d pushes, %d failed, %d collections%n", driver,
                withGrace.pushes.sum(), withGrace.failures.size(), withGrace.collections.get());
        assertThat(withGrace.failures).as("failed pushes with the default grace period").isEmpty();
        assertThat(withGrace.collections.get()).isGreaterThan(0);
        storm.assertEverythingWhole();
    }

    /** Starts a run with deleteUntagged and {@code grace} (null: the setting), waits for its end, returns its record. */
    static JsonNode collect(BerthApi api, Duration grace) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("deleteUntagged", true));
        if (grace != null) {
            body.put("grace", grace.toString());
        }
        BerthApi.Reply started = api.post("/api/v1/registry/gc", BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, body);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            BerthApi.Reply run = api.get("/api/v1/registry/gc/" + id, BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD);
            if (!"RUNNING".equals(run.text("state"))) {
                return run.json();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("garbage collection run " + id + " did not finish in 2 minutes");
    }
}
