package berth.e2e.policy;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.oci.Access;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.RetentionRunsOverApi;
import berth.testing.TagPushes;
import berth.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retention run on a real PostgreSQL: the policy, the run and its deletions are rows written and
 * read with plain SQL ({@code FETCH FIRST}, booleans, a nullable tag for untagged manifests), and
 * the lease is PostgreSQL's. The dry run lists the two oldest tags and the manifests they leave
 * untagged; the real run deletes exactly that list from the registry and the catalog.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({"test", "postgres"})
class RetentionPostgresIT {

    private static final int PORT = FreePorts.next();
    private static final String PROJECT = "retpg";
    private static final String REPOSITORY = "retpg/app";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-retention-postgres-it").port(PORT).postgres("berth_retention_it")
                .set("berth.registry.gc.grace", "0s");
    }

    @Autowired
    RegistryTokens tokens;

    private final BerthApi api = new BerthApi(PORT);
    private final RetentionRunsOverApi runs = new RetentionRunsOverApi(api);
    private final TagPushes registry = new TagPushes("http://127.0.0.1:" + PORT);

    @Test
    void the_oldest_tags_and_the_manifests_they_leave_untagged_go_on_postgresql() throws InterruptedException {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        String token = tokens.issue(ADMIN_EMAIL, List.of(Access.repository(REPOSITORY, List.of("pull", "push", "delete")))).token();
        List<TagPushes.Pushed> pushed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pushed.add(registry.push(REPOSITORY, "t" + i, "postgres image " + i, token));
            // Pushed in this order, and the catalog's push times say so.
            Thread.sleep(20);
        }
        awaitCatalogTags(4);
        Map<String, Object> policy = new HashMap<>();
        policy.put("rules", List.of(Map.of("repositories", "**", "tagsInclude", "*", "tagsExclude", "", "retain", "mostRecentlyPushed",
                "value", 2)));
        policy.put("untagged", "remove");
        policy.put("schedule", "0 0 3 * * *");
        BerthApi.Reply put = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD, policy);
        assertThat(put.status()).as(put.raw()).isEqualTo(200);
        JsonNode stored = api.get("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD).json();
        assertThat(stored.path("untagged").asString()).isEqualTo("remove");
        assertThat(stored.path("schedule").asString()).isEqualTo("0 0 3 * * *");
        assertThat(stored.at("/rules/0/value").asInt()).isEqualTo(2);

        JsonNode dry = runs.finished(PROJECT, runs.start(PROJECT, true));
        assertThat(dry.path("state").asString()).as(dry.toString()).isEqualTo("SUCCEEDED");
        List<String> listed = new ArrayList<>();
        for (JsonNode deletion : dry.path("deletions")) {
            listed.add((deletion.path("tag").isNull() ? "untagged" : deletion.path("tag").asString()) + " " + deletion.path("digest").asString());
        }
        List<String> untagged = new ArrayList<>(List.of("untagged " + pushed.get(0).digest(), "untagged " + pushed.get(1).digest()));
        untagged.sort(null);
        List<String> expected = new ArrayList<>(List.of("t0 " + pushed.get(0).digest(), "t1 " + pushed.get(1).digest()));
        expected.addAll(untagged);
        assertThat(listed).as("the two oldest tags, then the manifests they leave untagged").isEqualTo(expected);
        assertThat(dry.path("tagsDeleted").asInt()).isEqualTo(2);
        assertThat(dry.path("manifestsDeleted").asInt()).isEqualTo(2);
        assertThat(dry.path("tagsKept").asInt()).isEqualTo(2);

        JsonNode real = runs.finished(PROJECT, runs.start(PROJECT, false));
        assertThat(real.path("state").asString()).as(real.toString()).isEqualTo("SUCCEEDED");
        assertThat(real.path("errors")).as(real.toString()).isEmpty();
        assertThat(real.path("deletions")).as("the real run deleted exactly the dry run's list").isEqualTo(dry.path("deletions"));
        assertThat(new TreeSet<>(registry.tags(REPOSITORY, token))).containsExactly("t2", "t3");
        for (int i = 0; i < 4; i++) {
            int status = registry.manifest(REPOSITORY, pushed.get(i).digest(), token).statusCode();
            assertThat(status).as("manifest of t" + i).isEqualTo(i < 2 ? 404 : 200);
        }
        awaitCatalogTags(2);
        JsonNode history = api.get("/api/v1/projects/" + PROJECT + "/retention/runs", ADMIN_EMAIL, ADMIN_PASSWORD).json();
        assertThat(history.size()).as(history.toString()).isEqualTo(2);
        assertThat(history.get(0).path("id").asLong()).as("newest first").isEqualTo(real.path("id").asLong());
    }

    private void awaitCatalogTags(int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            JsonNode tags = api.get("/api/v1/projects/" + PROJECT + "/repositories/app/tags", ADMIN_EMAIL, ADMIN_PASSWORD).json();
            if (tags.path("items").size() == count) {
                return;
            }
            assertThat(Instant.now()).as("the catalog never showed " + count + " tags: " + tags).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
