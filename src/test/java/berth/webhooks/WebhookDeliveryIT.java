package berth.webhooks;

import berth.BerthApplication;
import berth.auth.SealedSecrets;
import berth.testing.BerthApi;
import berth.testing.MutableClock;
import berth.testing.TestSettings;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery rules that take time, against a receiver in the test: a receiver's {@code Retry-After}
 * is waited for; an endpoint that fails for 24 hours (a clock moved forward) is switched off with
 * the reason shown over REST; secrets are sealed in the database, old plain ones at start-up.
 */
@SpringBootTest(classes = {BerthApplication.class, WebhookDeliveryIT.Time.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class WebhookDeliveryIT {

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock tickingClock() {
            return MutableClock.ticking();
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-webhook-delivery-it").set("berth.webhooks.allow-private-targets", "true");
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SealedSecrets secrets;
    @Autowired
    Webhooks webhooks;
    @Autowired
    WebhookSender sender;

    private BerthApi api;
    private HttpServer receiver;
    private final List<Instant> arrivals = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile IntSupplier answer = () -> 200;

    @BeforeEach
    void start() throws IOException {
        api = new BerthApi(port);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            arrivals.add(Instant.now());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            int status = answer.getAsInt();
            if (status == 429 || status == 503) {
                exchange.getResponseHeaders().add("Retry-After", "3");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private long endpoint(String project, String secret) {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        BerthApi.Reply created = api.post("/api/v1/projects/" + project + "/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of(
                "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "events", List.of("PUSH_ARTIFACT"),
                "secret", secret));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.json().has("secret")).isFalse();
        return created.json().path("id").asLong();
    }

    private JsonNode deliveries(String project, long id) {
        return api.get("/api/v1/projects/" + project + "/webhooks/" + id + "/deliveries", ADMIN_EMAIL, ADMIN_PASSWORD).json().path("items");
    }

    private void awaitArrivals(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (arrivals.size() < count) {
            assertThat(System.nanoTime()).as(count + " arrivals within " + within + ", got " + arrivals.size()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void retry_after_is_waited_for_on_429_and_503() throws Exception {
        long id = endpoint("patient", "patient-secret");
        for (int busy : new int[] {429, 503}) {
            arrivals.clear();
            answer = () -> arrivals.size() == 1 ? busy : 200;
            assertThat(api.post("/api/v1/projects/patient/webhooks/" + id + "/test", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of()).status())
                    .isEqualTo(202);
            awaitArrivals(2, Duration.ofSeconds(15));
            Duration waited = Duration.between(arrivals.get(0), arrivals.get(1));
            // The back-off alone would retry after 1 s; the receiver asked for 3.
            assertThat(waited).as("wait after " + busy + " with Retry-After: 3").isBetween(Duration.ofMillis(2900), Duration.ofSeconds(6));
            JsonNode latest = deliveries("patient", id).get(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!latest.path("status").asString().equals("DELIVERED") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                latest = deliveries("patient", id).get(0);
            }
            assertThat(latest.path("status").asString()).isEqualTo("DELIVERED");
            assertThat(latest.path("attempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void an_endpoint_failing_for_24_hours_is_disabled_with_the_reason_shown() throws Exception {
        long id = endpoint("failing", "failing-secret");
        answer = () -> 500;
        api.post("/api/v1/projects/failing/webhooks/" + id + "/test", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of());
        awaitArrivals(1, Duration.ofSeconds(10));
        Thread.sleep(200);
        JsonNode listed = api.get("/api/v1/projects/failing/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD).json().get(0);
        assertThat(listed.path("enabled").asBoolean()).as("one failure does not disable").isTrue();

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        sender.nudge();
        awaitArrivals(2, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            listed = api.get("/api/v1/projects/failing/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD).json().get(0);
            Thread.sleep(50);
        } while (listed.path("enabled").asBoolean() && System.nanoTime() < deadline);
        assertThat(listed.path("enabled").asBoolean()).as("disabled after 24 h of failures").isFalse();
        assertThat(listed.path("disabledReason").asString()).startsWith("Disabled automatically at").contains("HTTP 500");
        assertThat(deliveries("failing", id).get(0).path("status").asString()).as("and the delivery given up after 24 h").isEqualTo("FAILED");

        // Saving it enabled again clears the reason.
        BerthApi.Reply enabled = api.put("/api/v1/projects/failing/webhooks/" + id, ADMIN_EMAIL, ADMIN_PASSWORD, Map.of(
                "url", listed.path("url").asString(), "events", List.of("PUSH_ARTIFACT"), "enabled", true));
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
        assertThat(enabled.json().path("disabledReason").isNull() || enabled.json().path("disabledReason").isMissingNode()).isTrue();
    }

    /** Waits for the receiver's {@code arrivals}th delivery {@code within}, and checks the endpoint's newest delivery is of {@code event}. */
    private void awaitNewest(int arrivals, Duration within, String project, long endpoint, String event) throws InterruptedException {
        awaitArrivals(arrivals, within);
        assertThat(deliveries(project, endpoint).get(0).path("event").asString()).isEqualTo(event);
    }

    @Test
    void quota_refusals_gc_and_retention_runs_reach_webhooks_and_quota_changes_are_audited() throws Exception {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "noticed");
        BerthApi.Reply created = api.post("/api/v1/projects/noticed/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of(
                "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "events", List.of("QUOTA_EXCEEDED", "GC_COMPLETED", "RETENTION_COMPLETED"), "secret", "noticed-secret"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        assertThat(api.put("/api/v1/projects/noticed/quota", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("quotaBytes", 10)).status()).isEqualTo(200);

        JsonNode audited = api.get("/api/v1/projects/noticed/audit?action=QUOTA_CHANGED", ADMIN_EMAIL, ADMIN_PASSWORD).json();
        assertThat(audited.path("totalItems").asLong()).isEqualTo(1);
        assertThat(audited.at("/items/0/actor").asString()).isEqualTo(ADMIN_EMAIL);
        assertThat(audited.at("/items/0/via").asString()).isEqualTo("api");
        assertThat(audited.at("/items/0/detail").asString()).isEqualTo("quota default -> 10 bytes");

        // A blob of 11 bytes does not fit in 10: refused, and the project's endpoints hear of it.
        String scope = java.net.URLEncoder.encode("repository:noticed/app:push,pull", java.nio.charset.StandardCharsets.UTF_8);
        String token = api.token(ADMIN_EMAIL, api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "noticed"),
                "service=berth-registry&scope=" + scope).text("token");
        byte[] blob = "eleven byte".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(blob));
        BerthApi.Reply refused = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        api.base() + "/v2/noticed/app/blobs/uploads/?digest=" + digest))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(blob)));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        awaitNewest(1, Duration.ofSeconds(10), "noticed", id, "QUOTA_EXCEEDED");

        BerthApi.Reply gc = api.post("/api/v1/registry/gc", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("dryRun", false));
        assertThat(gc.status()).as(gc.raw()).isEqualTo(202);
        awaitNewest(2, Duration.ofSeconds(30), "noticed", id, "GC_COMPLETED");
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"type\":\"io.berth.quota.exceeded\"")
                .contains("\"repository\":\"noticed/app\"").contains("\"quotaBytes\":10").contains("\"neededBytes\":11"));
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"type\":\"io.berth.gc.completed\"")
                .contains("\"run\":" + gc.json().path("id").asLong()).contains("\"state\":\"SUCCEEDED\""));

        BerthApi.Reply retention = api.post("/api/v1/projects/noticed/retention/runs", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("dryRun", true));
        assertThat(retention.status()).as(retention.raw()).isEqualTo(202);
        awaitNewest(3, Duration.ofSeconds(30), "noticed", id, "RETENTION_COMPLETED");
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"type\":\"io.berth.retention.completed\"")
                .contains("\"run\":" + retention.json().path("id").asLong()).contains("\"dryRun\":true")
                .contains("\"state\":\"SUCCEEDED\"").contains("\"tagsDeleted\":0").contains("\"manifestsDeleted\":0")
                .contains("\"startedBy\":\"" + ADMIN_EMAIL + "\""));
    }

    @Test
    void secrets_are_sealed_in_the_database_and_plain_ones_are_sealed_at_start() {
        long id = endpoint("sealed", "the-plain-secret");
        String stored = jdbc.queryForObject("select secret from webhook_endpoint where id = ?", String.class, id);
        assertThat(stored).doesNotContain("the-plain-secret");
        assertThat(secrets.open(stored)).isEqualTo("the-plain-secret");

        // A row as Berth wrote it before secrets were sealed.
        jdbc.update("update webhook_endpoint set secret = 'an-old-plain-secret', secret_sealed = false where id = ?", id);
        webhooks.started();
        String resealed = jdbc.queryForObject("select secret from webhook_endpoint where id = ?", String.class, id);
        assertThat(resealed).isNotEqualTo("an-old-plain-secret");
        assertThat(secrets.open(resealed)).isEqualTo("an-old-plain-secret");
        assertThat(jdbc.queryForObject("select secret_sealed from webhook_endpoint where id = ?", Boolean.class, id)).isTrue();
    }
}
