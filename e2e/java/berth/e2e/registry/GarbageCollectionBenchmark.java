package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth's online garbage collection against CNCF Distribution 2.8.2's offline
 * {@code garbage-collect}, on identical copies of one storage: {@code benchmark.repositories}
 * (default 1,000) repositories x 10 tags, each image a config and 2 layers (one shared from a pool,
 * one its own), half the tags deleted; both remove untagged manifests. Also the p95 of manifest
 * GETs ({@code wrk}, one-second runs) while Berth collects, against the same with Berth idle.
 * Not part of the test run; see README "Benchmarks".
 */
class GarbageCollectionBenchmark {

    private static final int REPOSITORIES = Integer.getInteger("benchmark.repositories", 1000);
    private static final int TAGS = 10;
    private static final int SHARED_LAYERS = 200;
    private static final int LAYER_BYTES = 4096;
    private static final Pattern P95 = Pattern.compile("p95_us (\\d+)");

    @Test
    void berth_online_against_distribution_offline() throws Exception {
        Tools.require("docker-registry");
        Tools.require("wrk");
        Path work = ScratchDirectories.create("berth-gc-benchmark");
        Path berthRoot = work.resolve("berth-root");
        Path loadedRoot = work.resolve("berth-root-under-load");
        Path distributionRoot = work.resolve("distribution-root");
        long seeding = System.nanoTime();
        Seed seed = new Seed(berthRoot.resolve("docker/registry/v2"));
        seed.write();
        Tools.run(List.of("cp", "-a", berthRoot.toString(), distributionRoot.toString())).requireSuccess("cp of the seeded storage");
        Tools.run(List.of("cp", "-a", berthRoot.toString(), loadedRoot.toString())).requireSuccess("cp of the seeded storage");
        System.out.printf("Seeded %d repositories x %d tags (%d deleted) in %.1f s%n", REPOSITORIES, TAGS, seed.deleted,
                (System.nanoTime() - seeding) / 1e9);

        long distributionStart = System.nanoTime();
        String distributionOutput = DistributionRegistry.garbageCollect(distributionRoot, work, true);
        double distributionSeconds = (System.nanoTime() - distributionStart) / 1e9;

        // Berth alone, as Distribution ran: the collection time.
        JsonNode run;
        try (BerthProcess berth = start(berthRoot, work, "alone")) {
            run = collect(new BerthApi(berth.port()));
        }
        double berthSeconds = seconds(run);

        // Berth again on an identical copy, serving manifest GETs: their p95 idle, then while it collects.
        List<Long> idle = new ArrayList<>();
        List<Long> during = new ArrayList<>();
        JsonNode loadedRun;
        try (BerthProcess berth = start(loadedRoot, work, "under-load")) {
            BerthApi api = new BerthApi(berth.port());
            String appkey = api.appkey(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "bench");
            BerthApi.Reply token = api.token(BerthApi.ADMIN_EMAIL, appkey, "service=berth-registry&scope=repository:bench/r0001:pull");
            assertThat(token.status()).as(token.raw()).isEqualTo(200);
            Path script = work.resolve("p95.lua");
            Files.writeString(script, "done = function(summary, latency, requests)\n  io.write(string.format(\"p95_us %d\\n\", latency:percentile(95)))\nend\n");
            List<String> wrk = List.of("wrk", "-t1", "-c4", "-d1s", "-s", script.toString(),
                    "-H", "Authorization: Bearer " + token.text("token"),
                    "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                    "http://127.0.0.1:" + berth.port() + "/v2/bench/r0001/manifests/t0");
            for (int i = 0; i < 11; i++) { // the first second warms up and is not counted
                long p95 = p95(wrk);
                if (i > 0) {
                    idle.add(p95);
                }
            }
            AtomicBoolean collecting = new AtomicBoolean(true);
            Thread load = Thread.ofVirtual().start(() -> {
                while (collecting.get()) {
                    long p95 = p95(wrk);
                    if (collecting.get()) {
                        during.add(p95);
                    }
                }
            });
            loadedRun = collect(api);
            collecting.set(false);
            load.join();
        }
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(loadedRun.path("state").asString()).as(loadedRun.toString()).isEqualTo("SUCCEEDED");
        String afterBerth = DistributionRegistry.garbageCollectDryRun(berthRoot, work, false);
        long directories = run.path("manifestsDeleted").asLong() + run.path("linksDeleted").asLong() + run.path("blobsDeleted").asLong();
        double floorSeconds = deletionFloor(work.resolve("deletion-floor"), directories);

        String report = String.format("""
                        Garbage collection, %d repositories x %d tags, %d tags deleted (config + 2 layers each, half the layers shared)
                        Berth online GC:                       %.2f s  (%d manifests, %d links, %d blobs, %d bytes)
                        Distribution 2.8.2 garbage-collect:    %.2f s  (offline, --delete-untagged)
                        Distribution / Berth:                  %.1f x
                        Berth online GC while serving wrk:     %.2f s
                        manifest GET p95, idle:                %s ms (median of %d one-second wrk runs, 4 connections)
                        manifest GET p95, during GC:           %s ms (median of %d runs; max %s ms)
                        Distribution's dry run after Berth:    %s
                        Deleting as many one-file directories: %.2f s  (%d, %d at a time: this disk's floor for the run;
                                                                 a fifth of Distribution's time is %.2f s)
                        """, REPOSITORIES, TAGS, seed.deleted, berthSeconds, run.path("manifestsDeleted").asLong(),
                run.path("linksDeleted").asLong(), run.path("blobsDeleted").asLong(), run.path("bytesFreed").asLong(),
                distributionSeconds, distributionSeconds / berthSeconds, seconds(loadedRun), millis(median(idle)), idle.size(),
                during.isEmpty() ? "-" : millis(median(during)), during.size(), during.isEmpty() ? "-" : millis(during.stream().mapToLong(l -> l).max().orElse(0)),
                eligible(afterBerth), floorSeconds, directories, FLOOR_DELETERS, distributionSeconds / 5);
        System.out.print(report);
        Files.writeString(Path.of("target", "gc-benchmark.txt"), report);
        assertThat(eligible(distributionOutput)).as(distributionOutput).isNotEmpty();
    }

    /** As many deleters as the collector's storage calls at once. */
    private static final int FLOOR_DELETERS = 32;

    /**
     * The least time this disk takes to delete what the collection deleted, measured apart from any
     * collector: {@code count} directories of one small file each (a blob's {@code data}, a link) made
     * and synced, then deleted file and directory by {@link #FLOOR_DELETERS} threads.
     */
    private static double deletionFloor(Path root, long count) throws Exception {
        List<Path> directories = new ArrayList<>();
        byte[] content = new byte[LAYER_BYTES];
        for (long i = 0; i < count; i++) {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Long.toString(i).getBytes()));
            Path directory = Files.createDirectories(root.resolve(hex.substring(0, 2)).resolve(hex));
            Files.write(directory.resolve("data"), content);
            directories.add(directory);
        }
        Tools.run(List.of("sync")).requireSuccess("sync");
        long start = System.nanoTime();
        try (var deleters = java.util.concurrent.Executors.newFixedThreadPool(FLOOR_DELETERS)) {
            List<java.util.concurrent.Future<?>> deletions = new ArrayList<>();
            for (Path directory : directories) {
                deletions.add(deleters.submit(() -> {
                    Files.delete(directory.resolve("data"));
                    Files.delete(directory);
                    return null;
                }));
            }
            for (var deletion : deletions) {
                deletion.get();
            }
        }
        Tools.run(List.of("sync")).requireSuccess("sync");
        return (System.nanoTime() - start) / 1e9;
    }

    private static BerthProcess start(Path root, Path work, String name) throws IOException {
        BerthProcess berth = BerthProcess.startPackaged(FreePorts.next(), work.resolve("berth-data-" + name),
                work.resolve("berth-" + name + ".log"), List.of("--berth.storage.filesystem.root=" + root, "--berth.registry.gc.schedule=-",
                        "--berth.catalog.sync-on-start=false", "--berth.token.lifetime=1h"));
        new BerthApi(berth.port()).createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "bench");
        return berth;
    }

    /** Runs a collection with grace 0 and deleteUntagged to its end; returns its record. */
    private static JsonNode collect(BerthApi api) throws InterruptedException {
        BerthApi.Reply started = api.post("/api/v1/registry/gc", BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD,
                Map.of("deleteUntagged", true, "grace", "PT0S"));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        while (true) {
            JsonNode run = api.get("/api/v1/registry/gc/" + id, BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD).json();
            if (!"RUNNING".equals(run.path("state").asString())) {
                return run;
            }
            Thread.sleep(20);
        }
    }

    private static double seconds(JsonNode run) {
        return Duration.between(Instant.parse(run.path("startedAt").asString()), Instant.parse(run.path("finishedAt").asString())).toNanos() / 1e9;
    }

    private static long p95(List<String> wrk) {
        Tools.Result result = Tools.run(wrk).requireSuccess("wrk");
        Matcher matcher = P95.matcher(result.output());
        if (!matcher.find()) {
            throw new AssertionError("wrk printed no p95:\n" + result.output());
        }
        return Long.parseLong(matcher.group(1));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String millis(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }

    private static String eligible(String output) {
        Matcher matcher = Pattern.compile("\\d+ blobs marked, \\d+ blobs and \\d+ manifests eligible for deletion").matcher(output);
        return matcher.find() ? matcher.group() : "";
    }

    /** The storage, written file by file in CNCF Distribution's layout. */
    private static final class Seed {
        private final Path v2;
        private final Random random = new Random(42);
        private final List<byte[]> shared = new ArrayList<>();
        int deleted;

        Seed(Path v2) {
            this.v2 = v2;
        }

        void write() throws IOException {
            for (int i = 0; i < SHARED_LAYERS; i++) {
                byte[] layer = randomBytes(LAYER_BYTES);
                blob(layer);
                shared.add(layer);
            }
            for (int r = 0; r < REPOSITORIES; r++) {
                Path repository = v2.resolve("repositories/bench/r%04d".formatted(r));
                for (int t = 0; t < TAGS; t++) {
                    byte[] layerBytes = randomBytes(LAYER_BYTES);
                    String layer = blob(layerBytes);
                    byte[] sharedBytes = shared.get(random.nextInt(shared.size()));
                    String sharedLayer = RegistryHttp.sha256(sharedBytes);
                    byte[] config = RegistryHttp.config("r" + r + "-t" + t);
                    String configDigest = blob(config);
                    byte[] manifest = RegistryHttp.imageManifest(config, List.of(sharedBytes, layerBytes));
                    String manifestDigest = blob(manifest);
                    for (String linked : List.of(configDigest, sharedLayer, layer)) {
                        link(repository.resolve("_layers/sha256/" + linked.substring(7) + "/link"), linked);
                    }
                    link(repository.resolve("_manifests/revisions/sha256/" + manifestDigest.substring(7) + "/link"), manifestDigest);
                    if (t % 2 == 1) {
                        deleted++; // a deleted tag: its manifest stays, untagged, as after DELETE of the tag
                        continue;
                    }
                    Path tag = repository.resolve("_manifests/tags/t" + t);
                    link(tag.resolve("current/link"), manifestDigest);
                    link(tag.resolve("index/sha256/" + manifestDigest.substring(7) + "/link"), manifestDigest);
                }
            }
        }

        private byte[] randomBytes(int size) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return bytes;
        }

        private String blob(byte[] content) throws IOException {
            try {
                String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
                Path data = v2.resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
                Files.createDirectories(data.getParent());
                Files.write(data, content);
                return "sha256:" + hex;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void link(Path path, String digest) throws IOException {
            Files.createDirectories(path.getParent());
            Files.writeString(path, digest);
        }
    }
}
