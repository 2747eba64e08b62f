package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.testing.BerthApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigterm_lets_a_running_upload_finish_and_the_blob_is_completed_after_restart() throws Exception {
        Path work = Files.createTempDirectory("berth-shutdown-it");
        int port = DistributionRegistry.freePort();
        String repository = "graceful/app";
        byte[] blob = new byte[CHUNKS * CHUNK_BYTES];
        new Random(7).nextBytes(blob);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));

        String location;
        BerthProcess berth = BerthProcess.start(port, work.resolve("data"), work.resolve("berth.log"));
        try {
            BerthApi api = new BerthApi(port);
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "graceful");
            String token = token(api, repository);
            HttpResponse<String> started = send(port, "POST", "/v2/" + repository + "/blobs/uploads/", token, HttpRequest.BodyPublishers.noBody());
            assertThat(started.statusCode()).isEqualTo(202);
            location = URI.create(started.headers().firstValue("Location").orElseThrow()).getRawPath();

            // A client streaming a layer slowly, as over a thin uplink: about two seconds for the whole body.
            CountDownLatch firstChunkSent = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> patch = http.sendAsync(HttpRequest.newBuilder(URI.create(base(port) + location))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/octet-stream")
                            .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(blob, firstChunkSent)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(firstChunkSent.await(30, TimeUnit.SECONDS)).isTrue();

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
            String token = token(new BerthApi(port), repository);
            HttpResponse<String> completed = send(port, "PUT", location + "?digest=" + digest, token, HttpRequest.BodyPublishers.noBody());
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(201);
            HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(base(port) + "/v2/" + repository + "/blobs/" + digest))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
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
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                return true; // reset or closed while connecting: not served either
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String token(BerthApi api, String repository) {
        BerthApi.Reply reply = api.token(BerthApi.ADMIN_EMAIL, api.appkey(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "graceful"),
                "service=berth-registry&scope=repository:" + repository + ":pull,push");
        assertThat(reply.status()).isEqualTo(200);
        return reply.text("token");
    }

    private HttpResponse<String> send(int port, String method, String path, String token, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base(port) + path)).header("Authorization", "Bearer " + token)
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The blob in chunks with a pause before each but the first. */
    private static final class SlowStream extends InputStream {

        private final byte[] content;
        private final CountDownLatch firstChunkSent;
        private int position;

        SlowStream(byte[] content, CountDownLatch firstChunkSent) {
            this.content = content;
            this.firstChunkSent = firstChunkSent;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= content.length) {
                return -1;
            }
            if (position % CHUNK_BYTES == 0 && position > 0) {
                firstChunkSent.countDown();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int end = Math.min(content.length, (position / CHUNK_BYTES + 1) * CHUNK_BYTES);
            int count = Math.min(length, end - position);
            System.arraycopy(content, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
