package berth.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** Retention runs started and waited for through the REST API, as the system administrator. */
public record RetentionRunsOverApi(BerthApi api) {

    /** Starts a run of {@code project}: 202 with its id. */
    public long start(String project, boolean dryRun) {
        BerthApi.Reply reply = api.post("/api/v1/projects/" + project + "/retention/runs", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("dryRun", dryRun));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(202);
        assertThat(reply.json().path("state").asString()).isIn("RUNNING", "SUCCEEDED");
        return reply.json().path("id").asLong();
    }

    /** The run once it is no longer RUNNING, within 2 minutes. */
    public JsonNode finished(String project, long id) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonNode run = run(project, id);
            if (!"RUNNING".equals(run.path("state").asString())) {
                return run;
            }
            assertThat(Instant.now()).as("run " + id + " still RUNNING after 2 minutes").isBefore(deadline);
            Pause.millis(20);
        }
    }

    public JsonNode run(String project, long id) {
        BerthApi.Reply reply = api.get("/api/v1/projects/" + project + "/retention/runs/" + id, ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.json();
    }
}
