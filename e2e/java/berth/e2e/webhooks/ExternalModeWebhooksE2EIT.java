package berth.e2e.webhooks;

import berth.BerthApplication;
import berth.catalog.remote.DistributionConfig;
import berth.e2e.DistributionRegistry;
import berth.e2e.ExternalMode;
import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
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
 * External mode: Berth in front of a real CNCF Distribution 2.8 configured with the fragment Berth
 * hands out. A skopeo push to Distribution reaches Berth as Distribution's notification and makes
 * the same audit row (actor, digest) and the same signed webhook delivery as a push to Berth's own
 * registry.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class ExternalModeWebhooksE2EIT {

    private static final String WEBHOOK_SECRET = "external-webhook-secret";
    private static final ExternalMode EXTERNAL = new ExternalMode("events-secret-for-tests");

    @Autowired
    DistributionConfig distributionConfig;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        EXTERNAL.settings(registry, "berth-external-webhooks").set("berth.webhooks.allow-private-targets", "true");
    }

    @AfterAll
    static void stopDistribution() {
        EXTERNAL.close();
    }

    @Test
    void a_push_to_distribution_is_audited_and_delivered() throws Exception {
        DistributionRegistry distribution = EXTERNAL.startDistribution(distributionConfig);
        BerthApi api = new BerthApi(EXTERNAL.berthPort());
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "outside");
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "outside");
        try (Receiver receiver = new Receiver(FreePorts.next()).start()) {
            BerthApi.Reply created = api.post("/api/v1/projects/outside/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of(
                    "url", receiver.url("/hook"), "events", List.of("PUSH_ARTIFACT"), "secret", WEBHOOK_SECRET));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);

            TestImages.Image image = TestImages.withFiles(EXTERNAL.dataDir(), "1.0", Map.of("outside.txt", "pushed to Distribution"));
            String digest = TestImages.manifestDigest(image.layout(), image.tag());
            Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN_EMAIL + ":" + appkey, image.oci(),
                    "docker://" + distribution.host() + "/outside/app:1.0")).requireSuccess("skopeo push to Distribution");

            List<Receiver.Delivery> got = receiver.await(d -> d.path().equals("/hook"), 1, Duration.ofSeconds(20));
            assertThat(got).as("the push's webhook").hasSize(1);
            Receiver.Delivery delivery = got.getFirst();
            assertThat(delivery.signedWith(WEBHOOK_SECRET)).isTrue();
            JsonNode event = delivery.json();
            assertThat(event.path("type").asString()).isEqualTo("io.berth.artifact.pushed");
            assertThat(event.path("subject").asString()).isEqualTo("outside/app:1.0");
            assertThat(event.at("/data/digest").asString()).isEqualTo(digest);
            assertThat(event.at("/data/actor").asString()).isEqualTo(ADMIN_EMAIL);
            assertThat(event.path("id").asString()).isEqualTo(delivery.deliveryId());

            JsonNode rows = awaitPushRow(api, Duration.ofSeconds(20));
            assertThat(rows.size()).as(rows.toString()).isEqualTo(1);
            JsonNode row = rows.get(0);
            assertThat(row.path("actor").asString()).isEqualTo(ADMIN_EMAIL);
            assertThat(row.path("via").asString()).isEqualTo("registry");
            assertThat(row.path("repository").asString()).isEqualTo("outside/app");
            assertThat(row.path("tag").asString()).isEqualTo("1.0");
            assertThat(row.path("digest").asString()).isEqualTo(digest);
            assertThat(row.path("outcome").asString()).isEqualTo("SUCCESS");
            assertThat(row.path("address").asString()).as("the client's address, as Distribution saw it").isNotEmpty();
        }
    }

    private static JsonNode awaitPushRow(BerthApi api, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            BerthApi.Reply reply = api.get("/api/v1/projects/outside/audit?action=PUSH", ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
            if (reply.json().path("totalItems").asLong() >= 1 || Instant.now().isAfter(deadline)) {
                return reply.json().path("items");
            }
            Thread.sleep(100);
        }
    }
}
