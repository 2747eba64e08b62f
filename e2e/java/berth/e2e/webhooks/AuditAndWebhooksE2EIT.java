package berth.e2e.webhooks;

import berth.e2e.BerthProcess;
import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.BerthApi.Reply;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log and webhooks against a real Berth process, pushed to with skopeo, delivering to a
 * receiver in the test. Private targets are allowed here (the receiver is on 127.0.0.1); the guard
 * itself is tested in {@link DeliveryAfterCrashE2EIT} with its default.
 */
class AuditAndWebhooksE2EIT {

    private static final String SECRET = "webhook-secret-for-tests";
    /** As the issue writes it: the receiver refuses connections for 60 s. */
    private static final Duration RECEIVER_DOWN = Duration.ofSeconds(60);

    private static Path work;
    private static BerthProcess berth;
    private static BerthApi api;

    @BeforeAll
    static void start() throws Exception {
        work = ScratchDirectories.create("berth-webhooks-e2e");
        berth = BerthProcess.start(FreePorts.next(), work.resolve("data"), work.resolve("berth.log"),
                List.of("--berth.webhooks.allow-private-targets=true"));
        api = new BerthApi(berth.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void a_push_reaches_the_receiver_within_a_second_signed_with_the_exact_digest_and_is_audited() throws Exception {
        try (Receiver receiver = new Receiver(FreePorts.next()).start()) {
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "hooks");
            long id = createWebhook("hooks", receiver.url("/hook"), "**").path("id").asLong();
            TestImages.Image image = TestImages.withFiles(work, "1.0", Map.of("hello.txt", "hello"));
            String digest = TestImages.manifestDigest(image.layout(), image.tag());

            String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "hooks");
            // A first push warms the freshly started JVM (class loading, the first HTTP connection); the second is timed.
            push(ADMIN_EMAIL, key, TestImages.withFiles(work, "0.9", Map.of("warm.txt", "warm")), "hooks/warm:0.9");
            assertThat(receiver.await(d -> d.path().equals("/hook"), 1, Duration.ofSeconds(10))).hasSize(1);
            push(ADMIN_EMAIL, key, image, "hooks/app:1.0");
            Instant pushed = Instant.now();

            List<Receiver.Delivery> got = receiver.await(d -> d.path().equals("/hook"), 2, Duration.ofSeconds(10));
            assertThat(got).as("the push event arrived").hasSize(2);
            Receiver.Delivery delivery = got.getLast();
            assertThat(Duration.between(pushed, delivery.at())).as("push to delivery").isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(delivery.signedWith(SECRET)).as("the signature verifies with the secret").isTrue();
            assertThat(delivery.signedWith("a-wrong-secret")).as("and not with another").isFalse();
            JsonNode event = delivery.json();
            assertThat(event.path("specversion").asString()).isEqualTo("1.0");
            assertThat(event.path("type").asString()).isEqualTo("io.berth.artifact.pushed");
            assertThat(event.path("id").asString()).isEqualTo(delivery.deliveryId());
            assertThat(event.path("subject").asString()).isEqualTo("hooks/app:1.0");
            assertThat(event.path("data").path("digest").asString()).isEqualTo(digest);
            assertThat(event.path("data").path("actor").asString()).isEqualTo(ADMIN_EMAIL);
            assertThat(event.path("data").path("pullAddresses").toString()).contains("/hooks/app@" + digest);

            JsonNode audit = awaitAudit("/api/v1/projects/hooks/audit?action=PUSH&repository=hooks/app", 1);
            JsonNode row = audit.path("items").get(0);
            assertThat(row.path("actor").asString()).isEqualTo(ADMIN_EMAIL);
            assertThat(row.path("address").asString()).isEqualTo("127.0.0.1");
            assertThat(row.path("via").asString()).isEqualTo("registry");
            assertThat(row.path("repository").asString()).isEqualTo("hooks/app");
            assertThat(row.path("tag").asString()).isEqualTo("1.0");
            assertThat(row.path("digest").asString()).isEqualTo(digest);
            assertThat(row.path("outcome").asString()).isEqualTo("SUCCESS");

            Reply deliveries = api.get("/api/v1/projects/hooks/webhooks/" + id + "/deliveries", ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(deliveries.status()).isEqualTo(200);
            assertThat(deliveries.json().path("items").get(0).path("status").asString()).isEqualTo("DELIVERED");
            assertThat(deliveries.json().path("items").get(0).path("responseCode").asInt()).isEqualTo(204);
            Reply listed = api.get("/api/v1/projects/hooks/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(listed.raw()).as("the secret is never returned").doesNotContain(SECRET);
        }
    }

    @Test
    void redirects_are_not_followed() throws Exception {
        try (Receiver receiver = new Receiver(FreePorts.next()).start()) {
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "redirected");
            long id = createWebhook("redirected", receiver.url("/redirect"), "**").path("id").asLong();
            Reply test = api.post("/api/v1/projects/redirected/webhooks/" + id + "/test", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of());
            assertThat(test.status()).isEqualTo(202);

            assertThat(receiver.await(d -> d.path().equals("/redirect"), 1, Duration.ofSeconds(10))).hasSize(1);
            JsonNode delivery = awaitDelivery("redirected", id, "FAILED");
            assertThat(delivery.path("responseCode").asInt()).isEqualTo(302);
            Thread.sleep(500);
            assertThat(receiver.received()).as("nothing went to the redirect's target")
                    .noneMatch(d -> d.path().equals("/target"));
        }
    }

    @Test
    void a_receiver_down_for_60_seconds_gets_every_event_afterwards_in_order_per_repository() throws Exception {
        int port = FreePorts.next();
        Receiver receiver = new Receiver(port); // not started: connections are refused
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "down");
        createWebhook("down", receiver.url("/hook"), "**");
        String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "down");
        Instant downSince = Instant.now();
        Map<String, List<String>> pushedTags = new HashMap<>();
        for (String repository : List.of("down/one", "down/two")) {
            for (String tag : List.of("a", "b", "c")) {
                TestImages.Image image = TestImages.withFiles(work, tag,
                        Map.of("f.txt", repository + tag));
                push(ADMIN_EMAIL, key, image, repository + ":" + tag);
                pushedTags.computeIfAbsent(repository, r -> new ArrayList<>()).add(tag);
            }
        }
        Duration left = RECEIVER_DOWN.minus(Duration.between(downSince, Instant.now()));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        receiver.start();
        try {
            List<Receiver.Delivery> got = receiver.await(d -> true, 6, Duration.ofMinutes(3));
            assertThat(got).as("every event arrived").hasSize(6);
            Thread.sleep(2000); // anything sent twice would arrive by now
            got = receiver.received();
            Map<String, List<String>> arrivedTags = new HashMap<>();
            Map<String, Set<String>> idsPerEvent = new HashMap<>();
            for (Receiver.Delivery delivery : got) {
                assertThat(delivery.signedWith(SECRET)).isTrue();
                JsonNode data = delivery.json().path("data");
                String repository = data.path("repository").asString();
                String tag = data.path("tag").asString();
                Set<String> ids = idsPerEvent.computeIfAbsent(repository + ":" + tag, e -> new HashSet<>());
                if (ids.add(delivery.deliveryId())) {
                    arrivedTags.computeIfAbsent(repository, r -> new ArrayList<>()).add(tag);
                }
            }
            assertThat(idsPerEvent.values()).as("no event arrived twice with different ids").allMatch(ids -> ids.size() == 1);
            assertThat(arrivedTags).as("in order per repository").isEqualTo(pushedTags);
        } finally {
            receiver.stop();
        }
    }

    /**
     * The issue's scripted sequence: a failed login, a push, a delete by an ADMIN, a MEMBER's refused
     * delete, a role change - exactly these rows, with actor and address; a MEMBER cannot read them.
     */
    @Test
    void a_scripted_sequence_has_exactly_the_expected_audit_rows() throws Exception {
        Instant start = Instant.now().minusMillis(5);
        String alice = "alice-audit@example.test";
        String bob = "bob-audit@example.test";
        api.createAccount(alice, "alice-password-1");
        api.createAccount(bob, "bob-password-12");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "scripted");
        api.putMember("scripted", alice, "ADMIN");
        api.putMember("scripted", bob, "MEMBER");

        assertThat(api.token(bob, "not-the-appkey", "service=" + "127.0.0.1:" + berth.port()).status()).isEqualTo(401);
        TestImages.Image image = TestImages.withFiles(work, "1.0", Map.of("s.txt", "scripted"));
        push(alice, api.appkey(alice, "alice-password-1", "scripted"), image, "scripted/app:1.0");
        awaitAudit("/api/v1/projects/scripted/audit?action=PUSH", 1);
        assertThat(api.delete("/api/v1/projects/scripted/repositories/app/tags/1.0", bob, "bob-password-12").status())
                .as("a MEMBER may not delete").isEqualTo(403);
        assertThat(api.delete("/api/v1/projects/scripted/repositories/app/tags/1.0", alice, "alice-password-1").status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/projects/scripted/audit", bob, "bob-password-12").status())
                .as("a MEMBER cannot read the project's audit log").isEqualTo(403);
        assertThat(api.get("/api/v1/audit", bob, "bob-password-12").status())
                .as("nor the whole one").isEqualTo(403);
        api.putMember("scripted", bob, "ADMIN");

        Reply log = api.get("/api/v1/audit?from=" + start + "&size=100", ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(log.status()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : log.json().path("items")) {
            String project = row.path("project").isNull() ? "" : row.path("project").asString();
            if (!project.isEmpty() && !project.equals("scripted")) {
                continue; // another test's, running in the same Berth
            }
            rows.add(String.join(" ", row.path("action").asString(), row.path("actor").asString(), row.path("address").asString(),
                    row.path("via").asString(), row.path("outcome").asString(), row.path("tag").isNull() ? "-" : row.path("tag").asString(),
                    row.path("detail").isNull() ? "-" : row.path("detail").asString()));
        }
        assertThat(rows.reversed()).containsExactly(
                "PROJECT_CREATED " + ADMIN_EMAIL + " 127.0.0.1 api SUCCESS - created by " + ADMIN_EMAIL,
                "MEMBER_CHANGED " + ADMIN_EMAIL + " 127.0.0.1 api SUCCESS - " + alice + ": added as ADMIN",
                "MEMBER_CHANGED " + ADMIN_EMAIL + " 127.0.0.1 api SUCCESS - " + bob + ": added as MEMBER",
                "LOGIN_FAILED " + bob + " 127.0.0.1 registry FAILURE - wrong credentials",
                "PUSH " + alice + " 127.0.0.1 registry SUCCESS 1.0 -",
                "DELETE_TAG " + bob + " 127.0.0.1 api DENIED 1.0 -",
                "DELETE_TAG " + alice + " 127.0.0.1 api SUCCESS 1.0 -",
                "MEMBER_CHANGED " + ADMIN_EMAIL + " 127.0.0.1 api SUCCESS - " + bob + ": MEMBER -> ADMIN");
    }

    private static JsonNode createWebhook(String project, String url, String repositories) {
        Reply created = api.post("/api/v1/projects/" + project + "/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("url", url, "events", List.of("PUSH_ARTIFACT", "DELETE_ARTIFACT"), "repositories", repositories,
                        "secret", SECRET, "enabled", true));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.json().has("secret")).isFalse();
        return created.json();
    }

    private static void push(String user, String key, TestImages.Image image, String reference) {
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + key, image.oci(),
                "docker://127.0.0.1:" + berth.port() + "/" + reference)).requireSuccess("skopeo push of " + reference);
    }

    private static JsonNode awaitAudit(String path, int rows) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            Reply reply = api.get(path, ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
            if (reply.json().path("totalItems").asLong() >= rows || Instant.now().isAfter(deadline)) {
                assertThat(reply.json().path("totalItems").asLong()).as(path).isEqualTo(rows);
                return reply.json();
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitDelivery(String project, long id, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            Reply reply = api.get("/api/v1/projects/" + project + "/webhooks/" + id + "/deliveries", ADMIN_EMAIL, ADMIN_PASSWORD);
            JsonNode first = reply.json().path("items").get(0);
            if (first != null && first.path("status").asString().equals(status) || Instant.now().isAfter(deadline)) {
                assertThat(first).isNotNull();
                assertThat(first.path("status").asString()).isEqualTo(status);
                return first;
            }
            Thread.sleep(50);
        }
    }
}
