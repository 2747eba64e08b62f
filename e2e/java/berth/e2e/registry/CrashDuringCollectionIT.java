package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.testing.BerthApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of a garbage collection run: after a restart the next run (once the
 * dead instance's short lease expired) finishes the job, the killed run shows FAILED, every tag
 * still pulls whole and CNCF Distribution finds nothing to delete.
 */
class CrashDuringCollectionIT {

    private static final int IMAGES = 400;
    private static final List<String> ARGUMENTS = List.of("--berth.registry.gc.lease=3s", "--berth.registry.gc.schedule=-");

    @Test
    void a_run_killed_midway_is_finished_by_the_next_and_nothing_referenced_goes_missing() throws Exception {
        BerthProcess.Place place = BerthProcess.Place.fresh("berth-gc-crash-it");
        Path storage = place.data().resolve("registry");
        Path blobs = storage.resolve("docker/registry/v2/blobs");
        String repository = "gccrash/app";
        List<String> kept = new ArrayList<>();

        long firstRun;
        try (BerthProcess berth = place.start(ARGUMENTS)) {
            BerthApi api = new BerthApi(berth.port());
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "gccrash");
            String token = token(api, repository);
            RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + berth.port());
            try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
                List<Future<?>> pushes = new ArrayList<>();
                for (int i = 0; i < IMAGES; i++) {
                    int n = i;
                    pushes.add(threads.submit(() -> registry.pushImage(repository, "t" + n, "layer of image " + n, token)));
                }
                for (Future<?> push : pushes) {
                    push.get();
                }
            }
            for (int i = 0; i < IMAGES; i++) {
                if (i % 4 == 0) {
                    kept.add("t" + i);
                } else {
                    assertThat(registry.send("DELETE", "/v2/" + repository + "/manifests/t" + i, token, null).status()).isEqualTo(202);
                }
            }
            long blobsBefore = count(blobs);
            BerthApi.Reply started = api.post("/api/v1/registry/gc", BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD,
                    Map.of("deleteUntagged", true, "grace", "PT0S"));
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            firstRun = started.json().path("id").asLong();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (count(blobs) > blobsBefore - 20) {
                assertThat(Instant.now()).as("the run deleted nothing in 2 minutes").isBefore(deadline);
                Thread.sleep(5);
            }
            berth.kill();
            assertThat(count(blobs)).as("the run was killed before it finished").isGreaterThan(blobsBefore - 3 * IMAGES * 3 / 4);
        }

        try (BerthProcess berth = place.start(ARGUMENTS)) {
            BerthApi api = new BerthApi(berth.port());
            JsonNode second = collect(api);
            assertThat(second.path("state").asString()).as(second.toString()).isEqualTo("SUCCEEDED");
            assertThat(second.path("errors").asInt()).isZero();
            JsonNode killed = api.get("/api/v1/registry/gc/" + firstRun, BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD).json();
            assertThat(killed.path("state").asString()).as(killed.toString()).isEqualTo("FAILED");

            String token = token(api, repository);
            RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + berth.port());
            RegistryHttp.Reply tags = registry.get("/v2/" + repository + "/tags/list", token);
            assertThat(tags.json().path("tags").size()).isEqualTo(kept.size());
            for (String tag : kept) {
                RegistryHttp.Reply manifest = registry.get("/v2/" + repository + "/manifests/" + tag, token, "Accept", RegistryHttp.ACCEPT_ALL);
                assertThat(manifest.status()).as(tag).isEqualTo(200);
                JsonNode parsed = manifest.json();
                for (String digest : List.of(parsed.path("config").path("digest").asString(), parsed.path("layers").get(0).path("digest").asString())) {
                    RegistryHttp.Reply blob = registry.get("/v2/" + repository + "/blobs/" + digest, token);
                    assertThat(blob.status()).as(tag + " blob " + digest).isEqualTo(200);
                    assertThat(RegistryHttp.sha256(blob.body())).isEqualTo(digest);
                }
            }
            assertThat(count(blobs)).as("blobs left: manifest, config and layer of each kept image").isEqualTo(3L * kept.size());
        }
        String output = DistributionRegistry.garbageCollectDryRun(storage, place.work(), false);
        assertThat(output).as(output).contains("0 blobs and 0 manifests eligible for deletion");
    }

    /** Starts a run (409 while the killed instance's lease lasts) and waits for its end. */
    private static JsonNode collect(BerthApi api) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        BerthApi.Reply started;
        while (true) {
            started = api.post("/api/v1/registry/gc", BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, Map.of("deleteUntagged", true, "grace", "PT0S"));
            if (started.status() != 409) {
                break;
            }
            assertThat(Instant.now()).as("the dead instance's lease never expired").isBefore(deadline);
            Thread.sleep(200);
        }
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        while (Instant.now().isBefore(deadline)) {
            BerthApi.Reply run = api.get("/api/v1/registry/gc/" + id, BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD);
            if (!"RUNNING".equals(run.text("state"))) {
                return run.json();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not finish in a minute");
    }

    private static String token(BerthApi api, String repository) {
        String appkey = api.appkey(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, repository.split("/")[0]);
        BerthApi.Reply reply = api.token(BerthApi.ADMIN_EMAIL, appkey, "service=berth-registry&scope=repository:" + repository + ":pull,push,delete");
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.text("token");
    }

    /** The blobs' data files; the collector may delete some while this counts, which is no error. */
    private static long count(Path blobs) throws IOException {
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        long[] count = new long[1];
        Files.walkFileTree(blobs, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                if (file.getFileName().toString().equals("data")) {
                    count[0]++;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // deleted while we walked
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path directory, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // a directory deleted while we walked it
            }
        });
        return count[0];
    }
}
