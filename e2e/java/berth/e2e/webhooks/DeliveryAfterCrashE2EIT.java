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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} right after a push's 201: what the push promised (the webhook delivery, the audit
 * record, the catalog's tag) is there after a restart, from the event publication registry. The
 * catalog case runs without the full sync at start-up, which would otherwise hide a lost event.
 */
class DeliveryAfterCrashE2EIT {

    private static final String SECRET = "crash-secret";

    @Test
    void kill_9_between_the_201_and_the_delivery_delivers_after_restart_and_the_audit_record_exists() throws Exception {
        Path work = ScratchDirectories.create("berth-webhook-crash");
        Path data = work.resolve("data");
        int port = FreePorts.next();
        List<String> arguments = List.of("--berth.webhooks.allow-private-targets=true", "--berth.catalog.sync-on-start=false");
        Receiver receiver = new Receiver(FreePorts.next()); // down until after the restart
        TestImages.Image image = TestImages.withFiles(work, "1.0", Map.of("crash.txt", "crash"));
        String digest = TestImages.manifestDigest(image.layout(), image.tag());

        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth.log"), arguments)) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "crash");
            Reply created = api.post("/api/v1/projects/crash/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("url",
                    receiver.url("/hook"), "events", List.of("PUSH_ARTIFACT"), "secret", SECRET));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            push(port, api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "crash"), image, "crash/app:1.0");
            berth.kill();
        }
        assertThat(receiver.received()).isEmpty();

        receiver.start();
        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth.log"), arguments)) {
            BerthApi api = new BerthApi(port);
            List<Receiver.Delivery> got = receiver.await(d -> true, 1, Duration.ofSeconds(30));
            assertThat(got).as("the event is delivered after the restart").hasSize(1);
            assertThat(got.getFirst().signedWith(SECRET)).isTrue();
            assertThat(got.getFirst().json().path("data").path("digest").asString()).isEqualTo(digest);

            JsonNode audit = await(api, "/api/v1/projects/crash/audit?action=PUSH");
            assertThat(audit.path("items").get(0).path("digest").asString()).isEqualTo(digest);
            assertThat(audit.path("items").get(0).path("actor").asString()).isEqualTo(ADMIN_EMAIL);
        } finally {
            receiver.stop();
        }
    }

    /** Hardening finding 4: the catalog row of a push answered 201 survives a kill -9 without a full sync. */
    @Test
    void kill_9_right_after_a_manifest_201_leaves_the_tag_in_the_catalog_after_restart() throws Exception {
        Path work = ScratchDirectories.create("berth-catalog-crash");
        Path data = work.resolve("data");
        int port = FreePorts.next();
        List<String> arguments = List.of("--berth.catalog.sync-on-start=false");
        TestImages.Image image = TestImages.withFiles(work, "1.0", Map.of("catalog.txt", "catalog"));

        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth.log"), arguments)) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "kept");
            push(port, api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "kept"), image, "kept/app:1.0");
            berth.kill();
        }

        try (BerthProcess berth = BerthProcess.start(port, data, work.resolve("berth.log"), arguments)) {
            BerthApi api = new BerthApi(port);
            Instant deadline = Instant.now().plusSeconds(20);
            int status;
            do {
                status = api.get("/api/v1/projects/kept/repositories/app/tags/1.0", ADMIN_EMAIL, ADMIN_PASSWORD).status();
                if (status != 200) {
                    Thread.sleep(100);
                }
            } while (status != 200 && Instant.now().isBefore(deadline));
            assertThat(status).as("the pushed tag is in the catalog after the restart").isEqualTo(200);
        }
    }

    /** The SSRF guard with its default: webhook URLs that resolve to loopback, private or metadata addresses are refused. */
    @Test
    void private_address_webhooks_are_refused_when_the_guard_is_on() throws Exception {
        Path work = ScratchDirectories.create("berth-webhook-guard");
        int port = FreePorts.next();
        try (BerthProcess berth = BerthProcess.start(port, work.resolve("data"), work.resolve("berth.log"))) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "guarded");
            for (String url : List.of("http://127.0.0.1:" + port + "/hook", "http://localhost/hook", "http://10.0.0.1/hook",
                    "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook")) {
                Reply refused = api.post("/api/v1/projects/guarded/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD,
                        Map.of("url", url, "events", List.of("PUSH_ARTIFACT"), "secret", SECRET));
                assertThat(refused.status()).as(url).isEqualTo(400);
                assertThat(refused.json().path("message").asString()).contains("berth.webhooks.allow-private-targets");
            }
            assertThat(api.get("/api/v1/projects/guarded/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD).json()).isEmpty();
        }
    }

    private static void push(int port, String key, TestImages.Image image, String reference) {
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN_EMAIL + ":" + key, image.oci(),
                "docker://127.0.0.1:" + port + "/" + reference)).requireSuccess("skopeo push of " + reference);
    }

    private static JsonNode await(BerthApi api, String path) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            Reply reply = api.get(path, ADMIN_EMAIL, ADMIN_PASSWORD);
            if (reply.status() == 200 && reply.json().path("totalItems").asLong() >= 1 || Instant.now().isAfter(deadline)) {
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.json().path("totalItems").asLong()).as(path).isEqualTo(1);
                return reply.json();
            }
            Thread.sleep(100);
        }
    }
}
