package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.registry.RegistryHttp.Reply;
import berth.testing.BerthApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of a blob upload: no partial blob becomes visible, the session
 * survives in storage, and after a restart the push completes - by continuing the old session
 * (its hash state died with the process, so Berth re-hashes what is stored) and by a fresh push.
 */
class CrashDuringUploadIT {

    private static final int SIZE = 8 * 1024 * 1024;

    @Test
    void a_killed_upload_leaves_no_visible_blob_and_the_push_succeeds_after_restart() throws Exception {
        BerthProcess.Place place = BerthProcess.Place.fresh("berth-crash-it");
        Path blobs = place.data().resolve("registry/docker/registry/v2/blobs");
        byte[] content = new byte[SIZE];
        new Random(42).nextBytes(content);
        String digest = RegistryHttp.sha256(content);
        String repository = "crash/app";

        String location;
        try (BerthProcess berth = place.start(List.of())) {
            BerthApi api = new BerthApi(berth.port());
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "crash");
            String token = RegistryHttp.adminToken(api, repository);
            RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + berth.port());
            Reply started = registry.send("POST", "/v2/" + repository + "/blobs/uploads/", token, null);
            assertThat(started.status()).isEqualTo(202);
            location = registry.absolute(started.header("Location"));

            // Stream the first half, then hold the connection open as a slow client would.
            CountDownLatch never = new CountDownLatch(1);
            InputStream halfThenStall = new PacedBody(content, SIZE / 2, 64 * 1024, Duration.ZERO, never);
            HttpClient http = HttpClient.newHttpClient();
            http.sendAsync(HttpRequest.newBuilder(URI.create(location))
                    .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> halfThenStall))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream").build(),
                    HttpResponse.BodyHandlers.discarding());
            awaitUploadedBytes(place.data(), SIZE / 4); // some of the half may still be in flight

            berth.kill();
            never.countDown();
        }

        assertThat(filesUnder(blobs)).as("no blob is visible after kill -9").isEmpty();

        try (BerthProcess berth = place.start(List.of())) {
            BerthApi api = new BerthApi(berth.port());
            String token = RegistryHttp.adminToken(api, repository);
            RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + berth.port());

            Reply status = registry.get(location, token);
            assertThat(status.status()).as("the session survived in storage").isEqualTo(204);
            long stored = Long.parseLong(status.header("Range").substring(2)) + 1;
            assertThat(stored).isBetween(1L, (long) SIZE / 2);
            Reply rest = registry.send("PUT", location + "?digest=" + digest, token, Arrays.copyOfRange(content, (int) stored, SIZE),
                    "Content-Range", stored + "-" + (SIZE - 1), "Content-Type", "application/octet-stream");
            assertThat(rest.status()).as(rest.text()).isEqualTo(201);
            assertThat(registry.get("/v2/" + repository + "/blobs/" + digest, token).body()).isEqualTo(content);

            String again = "crash/again";
            String againToken = RegistryHttp.adminToken(api, again);
            assertThat(registry.pushBlob(again, content, againToken)).isEqualTo(digest);
            assertThat(registry.pushImage(again, "v1", "after the crash", againToken)).isNotEmpty();
        }
    }

    private static void awaitUploadedBytes(Path data, long bytes) throws IOException, InterruptedException {
        Path uploads = data.resolve("registry/docker/registry/v2/repositories/crash/app/_uploads");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            for (Path file : filesUnder(uploads)) {
                if (file.getFileName().toString().equals("data") && Files.size(file) >= bytes) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first half of the upload never reached storage");
    }

    private static java.util.List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> tree = Files.walk(root)) {
            return tree.filter(Files::isRegularFile).toList();
        }
    }
}
