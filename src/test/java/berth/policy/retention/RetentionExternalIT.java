package berth.policy.retention;

import berth.BerthApplication;
import berth.auth.Projects;
import berth.policy.retention.RetentionPolicy.Retain;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In external mode retention cannot find untagged manifests (CNCF Distribution's API lists none): a
 * run with {@code untagged: remove} says so plainly, naming Distribution's own way, and still succeeds.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RetentionExternalIT {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-retention-external").catalogSyncOnlyWhenAsked()
                .set("berth.registry.mode", "external")
                // Never reached: the project has no tags, so the run asks the registry for nothing.
                .set("berth.registry.url", "http://127.0.0.1:9");
    }

    @Autowired
    Retention retention;
    @Autowired
    Projects projects;

    @Test
    void a_run_that_should_remove_untagged_manifests_says_it_cannot_and_what_does() throws InterruptedException {
        projects.create(ADMIN_EMAIL, "outside");
        retention.setPolicy(ADMIN_EMAIL, "outside", List.of(new Rule("**", "*", "", Retain.mostRecentlyPushed, 5)), "remove", null);

        assertThat(retention.removesUntagged()).isFalse();
        for (boolean dryRun : new boolean[] {true, false}) {
            long id = retention.start(ADMIN_EMAIL, "outside", dryRun).id();
            RetentionRun run = retention.run(ADMIN_EMAIL, "outside", id);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (run.state() == RetentionRun.State.RUNNING) {
                assertThat(Instant.now()).as("run " + id + " never ended").isBefore(deadline);
                Thread.sleep(50);
                run = retention.run(ADMIN_EMAIL, "outside", id);
            }
            assertThat(run.state()).as(run.toString()).isEqualTo(RetentionRun.State.SUCCEEDED);
            assertThat(run.message()).contains("external CNCF Distribution", "garbage-collect --delete-untagged");
            assertThat(run.manifestsDeleted()).isZero();
        }
    }
}
