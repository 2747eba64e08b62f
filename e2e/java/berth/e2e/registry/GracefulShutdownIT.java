package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.registry.RegistryHttp.Reply;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping Berth the way an orchestrator does ({@code SIGTERM}) lets a layer upload that is
 * streaming in finish, refuses new connections meanwhile, and exits; the session is in storage,
 * so after a restart the client completes the blob.
 */
class GracefulShutdownIT {

    private static final int CHUNKS = 8;
    private static final int CHUNK_BYTES = 256 * 1024;

    @Test
    void sigterm_lets_a_running_upload_finish_and_the_blob_is_completed_after_restart() throws Exception {
        Path work = ScratchDirectories.create("berth-shutdown-it");
        int port = FreePorts.next();
        String repository = "graceful/app";
        byte[] blob = new byte[CHUNKS * CHUNK_BYTES];
        new Random(7).nextBytes(blob);
        String digest = RegistryHttp.sha256(blob);
        RegistryHttp registry = new RegistryHttp(base(port));

        String location;
        BerthProcess berth = BerthProcess.start(port, work.resolve("data"), work.resolve("berth.log"));
        try {
            BerthApi api = new BerthApi(port);
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "graceful");
            String token = RegistryHttp.adminToken(api, repository);
            Reply started = registry.send("POST", "/v2/" + repository + "/blobs/uploads/", token, null);
            assertThat(started.status()).isEqualTo(202);
            location = URI.create(started.header("Location")).getRawPath();

            // A client streaming a layer slowly, as over a thin uplink: about two seconds for the whole body.
            PacedBody body = new PacedBody(blob, blob.length, CHUNK_BYTES, Duration.ofMillis(250), null);
            CompletableFuture<HttpResponse<String>> patch = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(base(port) + location))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/octet-stream")
                            .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(body.awaitFirstChunk(Duration.ofSeconds(30))).isTrue();

            berth.terminate();

            assertThat(refusesNewConnections(port)).as("a stopping Berth takes no new requests").isTrue();
            HttpResponse<String> finished = patch.get(60, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).as(finished.body()).isEqualTo(202);
            assertThat(finished.headers().firstValue("Range")).contains("0-" + (blob.length - 1));
            assertThat(berth.exited(Duration.ofSeconds(60))).as("Berth exits once the upload is done").isTrue();
        } finally {
            berth.close();
        }

        try (BerthProcess restarted = BerthProcess.start(port, work.resolve("data"), work.resolve("berth-2.log"))) {
            String token = RegistryHttp.adminToken(new BerthApi(port), repository);
            Reply completed = registry.send("PUT", location + "?digest=" + digest, token, null);
            assertThat(completed.status()).as(completed.text()).isEqualTo(201);
            Reply fetched = registry.get("/v2/" + repository + "/blobs/" + digest, token);
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(blob);
        }
    }

    /** True once a new connection is refused (or answered 503), within ten seconds of the signal. */
    private boolean refusesNewConnections(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base(port) + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 503) {
                    return true;
                }
            } catch (IOException e) {
                return true; // refused, reset or closed while connecting: not served
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port;
    }
}
