package berth.audit;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.oci.Access;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.MutableClock;
import berth.testing.TagPushes;
import berth.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulls are counted into one audit record per hour and key - the tag pulled, or the digest when
 * pulled by digest (as Kubernetes pulls pinned images) - however many flushes the counts arrive in.
 * The clock stands still mid-hour, so the counts cannot straddle an hour.
 */
@SpringBootTest(classes = {BerthApplication.class, PullCountsIT.Time.class}, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class PullCountsIT {

    private static final int PORT = FreePorts.next();
    private static final String PROJECT = "pulls";
    private static final String REPOSITORY = "pulls/app";

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock midHour() {
            return new MutableClock(Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(30)));
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-pull-counts-it").port(PORT).set("berth.audit.pull-flush-interval", "200ms");
    }

    @Autowired
    RegistryTokens tokens;
    @Autowired
    MutableClock clock;

    private final BerthApi api = new BerthApi(PORT);
    private final TagPushes registry = new TagPushes("http://127.0.0.1:" + PORT);

    @Test
    void pulls_by_tag_and_by_digest_add_up_in_one_record_per_key_across_flushes() throws InterruptedException {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        String token = tokens.issue(ADMIN_EMAIL, List.of(Access.repository(REPOSITORY, List.of("pull", "push")))).token();
        String first = registry.push(REPOSITORY, "v1", "pulled image 1", token).digest();
        String second = registry.push(REPOSITORY, "v2", "pulled image 2", token).digest();

        registry.pull(REPOSITORY, first, token);
        registry.pull(REPOSITORY, "v1", token);
        awaitPulls(records -> count(records, null, first) == 1 && count(records, "v1", null) == 1, "the first flush");
        // Later flushes of the same keys add to their records.
        registry.pull(REPOSITORY, first, token);
        registry.pull(REPOSITORY, second, token);
        awaitPulls(records -> count(records, null, first) == 2 && count(records, null, second) == 1, "the second flush");
        registry.pull(REPOSITORY, first, token);
        registry.pull(REPOSITORY, "v1", token);
        JsonNode records = awaitPulls(r -> count(r, null, first) == 3 && count(r, "v1", null) == 2, "the third flush");

        assertThat(records.size()).as("one record per key: v1, and each digest pulled by digest: " + records).isEqualTo(3);
        for (JsonNode record : records) {
            assertThat(record.path("actor").asString()).isEqualTo(ADMIN_EMAIL);
            assertThat(record.path("via").asString()).isEqualTo("registry");
            assertThat(record.path("outcome").asString()).isEqualTo("SUCCESS");
            assertThat(Instant.parse(record.path("at").asString())).isEqualTo(clock.instant().truncatedTo(ChronoUnit.HOURS));
        }
    }

    /** The occurrences of the one record of this tag (or, with a null tag, of this digest), 0 when there is none. */
    private static long count(JsonNode records, String tag, String digest) {
        List<JsonNode> matching = records.valueStream().filter(r -> tag != null ? tag.equals(r.path("tag").asString())
                : r.path("tag").isNull() && digest.equals(r.path("digest").asString())).toList();
        assertThat(matching.size()).as("records of " + (tag != null ? tag : digest) + ": " + records).isLessThanOrEqualTo(1);
        return matching.isEmpty() ? 0 : matching.getFirst().path("occurrences").asLong();
    }

    private JsonNode awaitPulls(Predicate<JsonNode> done, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonNode records = api.get("/api/v1/projects/" + PROJECT + "/audit?action=PULL&repository=" + REPOSITORY, ADMIN_EMAIL,
                    ADMIN_PASSWORD).json().path("items");
            if (done.test(records)) {
                return records;
            }
            assertThat(Instant.now()).as("the pull records after " + what + ": " + records).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
