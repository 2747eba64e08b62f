package berth.e2e.policy;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.catalog.ProjectTags;
import berth.oci.Access;
import berth.policy.retention.Retention;
import berth.policy.retention.RetentionPolicy.Retain;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.policy.retention.RetentionRun;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.TagPushes;
import berth.testing.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention at 100 repositories × 100 tags on the embedded engine: how long a dry run takes (goal:
 * at most 2 s), and a real run's deletions per second beside the REST API's one-tag delete, one
 * request after another as a script would send them. {@code -Dbenchmark.repositories} and
 * {@code -Dbenchmark.tags} change the size; figures print and go to {@code target/benchmarks/retention.txt}.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class RetentionBenchmark {

    private static final int PORT = FreePorts.next();
    private static final int REPOSITORIES = Integer.getInteger("benchmark.repositories", 100);
    private static final int TAGS = Integer.getInteger("benchmark.tags", 100);
    private static final int KEPT = Integer.getInteger("benchmark.kept", 90);
    private static final int DRY_RUNS = 5;
    private static final int REST_DELETES = 200;
    private static final String PROJECT = "bench";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-retention-benchmark").port(PORT).catalogSyncOnlyWhenAsked();
    }

    @Autowired
    RegistryTokens tokens;
    @Autowired
    Retention retention;
    @Autowired
    ProjectTags projectTags;

    @Test
    void dry_run_over_ten_thousand_tags_and_deletion_rates() throws Exception {
        BerthApi api = new BerthApi(PORT);
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        List<String> repositories = IntStream.range(0, REPOSITORIES).mapToObj(r -> PROJECT + "/r" + r).toList();
        TagPushes registry = new TagPushes("http://127.0.0.1:" + PORT);
        long pushStart = System.nanoTime();
        // Ten repositories per token: one naming all hundred would not fit in a request header.
        for (int from = 0; from < REPOSITORIES; from += 10) {
            List<String> some = repositories.subList(from, Math.min(REPOSITORIES, from + 10));
            String token = tokens.issue(ADMIN_EMAIL, some.stream().map(r -> Access.repository(r, List.of("pull", "push"))).toList()).token();
            registry.pushBulk(some, TAGS, token);
        }
        int total = REPOSITORIES * TAGS;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (projectTags.tags(ADMIN_EMAIL, PROJECT).size() < total) {
            assertThat(Instant.now()).as("the catalog never had every tag").isBefore(deadline);
            Thread.sleep(200);
        }
        double pushSeconds = (System.nanoTime() - pushStart) / 1e9;

        // Every tag is judged; the oldest TAGS - KEPT of each repository go.
        int doomed = REPOSITORIES * (TAGS - KEPT);
        retention.setPolicy(ADMIN_EMAIL, PROJECT, List.of(new Rule("**", "*", "", Retain.mostRecentlyPushed, KEPT)), "keep", null);
        List<Double> dry = new ArrayList<>();
        for (int i = 0; i < DRY_RUNS; i++) {
            long start = System.nanoTime();
            RetentionRun run = finished(retention.start(ADMIN_EMAIL, PROJECT, true).id());
            dry.add((System.nanoTime() - start) / 1e9);
            assertThat(run.tagsDeleted()).isEqualTo(doomed);
        }
        long realStart = System.nanoTime();
        RetentionRun real = finished(retention.start(ADMIN_EMAIL, PROJECT, false).id());
        double realSeconds = (System.nanoTime() - realStart) / 1e9;
        assertThat(real.state()).isEqualTo(RetentionRun.State.SUCCEEDED);
        assertThat(real.tagsDeleted()).isEqualTo(doomed);

        String basic = BerthApi.basic(ADMIN_EMAIL, ADMIN_PASSWORD);
        int deletes = Math.min(REST_DELETES, REPOSITORIES * KEPT);
        long restStart = System.nanoTime();
        for (int i = 0; i < deletes; i++) {
            String repository = repositories.get(i % REPOSITORIES);
            // From the newest: the tags the run kept.
            assertThat(registry.deleteTag(repository, TagPushes.bulkTag(TAGS - 1 - i / REPOSITORIES), basic)).isEqualTo(204);
        }
        double restSeconds = (System.nanoTime() - restStart) / 1e9;

        List<Double> sorted = dry.stream().sorted().toList();
        String figures = """
                Retention benchmark: %d repositories x %d tags (%d tags), embedded engine, H2
                  pushed and catalogued in %.1f s
                  dry run (%d runs): median %.2f s, best %.2f s, worst %.2f s (goal <= 2 s)
                  real run: %d tags deleted in %.1f s = %.0f deletions/s
                  REST API DELETE one tag, one after another: %d in %.1f s = %.0f deletions/s
                """.formatted(REPOSITORIES, TAGS, total, pushSeconds, DRY_RUNS, sorted.get(sorted.size() / 2), sorted.getFirst(),
                sorted.getLast(), real.tagsDeleted(), realSeconds, real.tagsDeleted() / realSeconds, deletes, restSeconds,
                deletes / restSeconds);
        System.out.println(figures);
        Path out = Path.of("target", "benchmarks", "retention.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);
    }

    private RetentionRun finished(long id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (true) {
            RetentionRun run = retention.run(ADMIN_EMAIL, PROJECT, id);
            if (run.state() != RetentionRun.State.RUNNING) {
                return run;
            }
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
