package berth.e2e.policy;

import berth.e2e.BerthProcess;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.RetentionRunsOverApi;
import berth.testing.ScratchDirectories;
import berth.testing.TagPushes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of a real retention run: after a restart, once the dead instance's
 * short lease has expired, the next run marks the killed one FAILED, computes what is left and
 * finishes the job; the registry and the catalog then hold exactly the tags the rules keep.
 */
class CrashDuringRetentionIT {

    private static final String PROJECT = "crashret";
    private static final String REPOSITORY = PROJECT + "/app";
    private static final int TAGS = 400;
    private static final int KEPT = 50;
    private static final List<String> ARGUMENTS = List.of("--berth.retention.lease=3s");

    @Test
    void a_run_killed_midway_is_finished_by_the_next_and_registry_and_catalog_agree() throws Exception {
        Path work = ScratchDirectories.create("berth-retention-crash-it");
        Path data = work.resolve("data");
        int port = FreePorts.next();
        long killedRun;
        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth.log"), ARGUMENTS)) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
            TagPushes registry = new TagPushes("http://127.0.0.1:" + port);
            String token = token(api);
            registry.pushBulk(List.of(REPOSITORY), TAGS, token);
            awaitCatalogCount(api, TAGS);
            // Nothing was pulled, so only the "always" rules keep: b0000..b0049.
            BerthApi.Reply saved = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("rules",
                    List.of(Map.of("repositories", "**", "tagsInclude", "*", "retain", "mostRecentlyPulled", "value", 1),
                            Map.of("repositories", "**", "tagsInclude", "b000?", "retain", "always"),
                            Map.of("repositories", "**", "tagsInclude", "b001?", "retain", "always"),
                            Map.of("repositories", "**", "tagsInclude", "b002?", "retain", "always"),
                            Map.of("repositories", "**", "tagsInclude", "b003?", "retain", "always"),
                            Map.of("repositories", "**", "tagsInclude", "b004?", "retain", "always")), "untagged", "keep"));
            assertThat(saved.status()).as(saved.raw()).isEqualTo(200);
            BerthApi.Reply started = api.post("/api/v1/projects/" + PROJECT + "/retention/runs", ADMIN_EMAIL, ADMIN_PASSWORD,
                    Map.of("dryRun", false));
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            killedRun = started.json().path("id").asLong();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (new RetentionRunsOverApi(api).run(PROJECT, killedRun).path("deletions").size() < 30) {
                assertThat(Instant.now()).as("the run deleted nothing in 2 minutes").isBefore(deadline);
                Thread.sleep(5);
            }
            berth.kill();
        }
        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth-again.log"), ARGUMENTS)) {
            BerthApi api = new BerthApi(port);
            JsonNode killed = new RetentionRunsOverApi(api).run(PROJECT, killedRun);
            int deletedBeforeKill = killed.path("deletions").size();
            assertThat(deletedBeforeKill).as("the kill came in the middle of the run").isBetween(30, TAGS - KEPT - 1);
            JsonNode next = new RetentionRunsOverApi(api).finished(PROJECT, start(api));
            assertThat(next.path("state").asString()).as(next.toString()).isEqualTo("SUCCEEDED");
            assertThat(next.path("deletions").size()).as("the next run deletes what was left, and only that")
                    .isLessThanOrEqualTo(TAGS - KEPT - deletedBeforeKill + 1);
            JsonNode marked = new RetentionRunsOverApi(api).run(PROJECT, killedRun);
            assertThat(marked.path("state").asString()).as(marked.toString()).isEqualTo("FAILED");
            assertThat(marked.path("message").asString()).contains("Interrupted");

            Set<String> expected = IntStream.range(0, KEPT).mapToObj(TagPushes::bulkTag).collect(Collectors.toCollection(TreeSet::new));
            TagPushes registry = new TagPushes("http://127.0.0.1:" + port);
            assertThat(new TreeSet<>(registry.tags(REPOSITORY, token(api)))).as("the registry's tags").isEqualTo(expected);
            awaitCatalogCount(api, KEPT);
            BerthApi.Reply listed = api.get("/api/v1/projects/" + PROJECT + "/repositories/app/tags?size=200", ADMIN_EMAIL, ADMIN_PASSWORD);
            Set<String> catalogued = new TreeSet<>();
            listed.json().path("items").forEach(tag -> catalogued.add(tag.path("name").asString()));
            assertThat(catalogued).as("the catalog's tags").isEqualTo(expected);
        }
    }

    private static long start(BerthApi api) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            BerthApi.Reply started = api.post("/api/v1/projects/" + PROJECT + "/retention/runs", ADMIN_EMAIL, ADMIN_PASSWORD,
                    Map.of("dryRun", false));
            if (started.status() != 409) {
                assertThat(started.status()).as(started.raw()).isEqualTo(202);
                return started.json().path("id").asLong();
            }
            assertThat(Instant.now()).as("the dead instance's lease never expired").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitCatalogCount(BerthApi api, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            BerthApi.Reply repository = api.get("/api/v1/projects/" + PROJECT + "/repositories/app", ADMIN_EMAIL, ADMIN_PASSWORD);
            if (repository.status() == 200 && repository.json().path("tagCount").asInt() == count) {
                return;
            }
            assertThat(Instant.now()).as("the catalog never showed " + count + " tags: " + repository.raw()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static String token(BerthApi api) {
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        BerthApi.Reply reply = api.token(ADMIN_EMAIL, appkey, "service=berth-registry&scope=repository:" + REPOSITORY + ":pull,push,delete");
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.text("token");
    }
}
