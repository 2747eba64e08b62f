package berth.e2e.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry under load while garbage collection runs in a loop: {@value #PUSHERS} pushers whose
 * images share layers (HEAD, upload when missing, manifest - as Docker pushes), a deleter removing
 * every other tag, and {@code collect} started again as soon as a run ends. Then
 * {@link #assertEverythingWhole} pulls every listed tag with digests verified and walks storage
 * (a local directory: the filesystem driver's root or S3Proxy's bucket directory) for manifests
 * naming missing blobs.
 */
final class GcStorm {

    static final int PUSHERS = 8;

    private final RegistryHttp registry;
    private final Supplier<String> token;
    private final Function<Duration, JsonNode> collect;
    private final List<String> repositories;
    private final Path v2;
    private final List<byte[]> sharedLayers = new ArrayList<>();

    /**
     * @param collect starts a run with this grace (null: the default setting) and deleteUntagged, and returns its finished record
     * @param v2 the {@code docker/registry/v2} directory of the storage
     */
    GcStorm(RegistryHttp registry, Supplier<String> token, Function<Duration, JsonNode> collect, List<String> repositories, Path v2) {
        this.registry = registry;
        this.token = token;
        this.collect = collect;
        this.repositories = repositories;
        this.v2 = v2;
        Random random = new Random(7);
        for (int i = 0; i < 6; i++) {
            byte[] layer = new byte[256 * 1024];
            random.nextBytes(layer);
            sharedLayers.add(layer);
        }
    }

    /** What one storm did. */
    static final class Outcome {
        final LongAdder pushes = new LongAdder();
        final LongAdder deletes = new LongAdder();
        final AtomicInteger collections = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> tags = new ConcurrentLinkedQueue<>();

        Map<String, Integer> failureCodes() {
            Map<String, Integer> codes = new ConcurrentHashMap<>();
            failures.forEach(code -> codes.merge(code, 1, Integer::sum));
            return codes;
        }
    }

    /** Pushers, a deleter and a collection loop for {@code length}; {@code grace} null: the default setting. */
    Outcome storm(Duration length, Duration grace) throws Exception {
        Outcome outcome = new Outcome();
        AtomicBoolean stop = new AtomicBoolean();
        Instant end = Instant.now().plus(length);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                int pusher = p;
                work.add(threads.submit(() -> {
                    Random random = new Random(pusher * 7919L + System.nanoTime());
                    for (int n = 0; !stop.get(); n++) {
                        String repository = repositories.get((pusher + n) % repositories.size());
                        String tag = "p" + pusher + "-" + n + "-" + Long.toHexString(random.nextLong());
                        String failure = pushImage(repository, tag, random);
                        outcome.pushes.increment();
                        if (failure == null) {
                            outcome.tags.add(repository + ":" + tag);
                        } else {
                            outcome.failures.add(failure);
                        }
                    }
                    return null;
                }));
            }
            work.add(threads.submit(() -> {
                while (!stop.get()) {
                    String victim = outcome.tags.poll();
                    if (victim == null || (victim.hashCode() & 1) == 0) {
                        Thread.sleep(20);
                        continue; // half the tags stay
                    }
                    String[] parts = victim.split(":");
                    RegistryHttp.Reply reply = registry.send("DELETE", "/v2/" + parts[0] + "/manifests/" + parts[1], token.get(), null);
                    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
                    outcome.deletes.increment();
                }
                return null;
            }));
            work.add(threads.submit(() -> {
                while (!stop.get()) {
                    JsonNode run = collect.apply(grace);
                    assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
                    assertThat(run.path("errors").asInt()).as(run.toString()).isZero();
                    outcome.collections.incrementAndGet();
                }
                return null;
            }));
            while (Instant.now().isBefore(end) && work.stream().noneMatch(Future::isDone)) {
                Thread.sleep(250);
            }
            stop.set(true);
            for (Future<?> future : work) {
                future.get(); // rethrows what failed in a worker
            }
        }
        return outcome;
    }

    /** Pushes one image the way Docker does (HEAD, upload when missing, manifest); null when it worked, else the error code. */
    private String pushImage(String repository, String tag, Random random) {
        String token = this.token.get();
        byte[] shared = sharedLayers.get(random.nextInt(sharedLayers.size()));
        byte[] own = new byte[16 * 1024];
        random.nextBytes(own);
        byte[] config = RegistryHttp.config(tag);
        for (byte[] blob : List.of(shared, own, config)) {
            String failure = pushBlobUnlessPresent(repository, blob, token);
            if (failure != null) {
                return failure;
            }
        }
        RegistryHttp.Reply reply = registry.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json",
                RegistryHttp.imageManifest(config, List.of(shared, own)), token);
        if (reply.status() == 201) {
            return null;
        }
        assertThat(reply.errorCode()).as("a failed manifest push: " + reply.status() + " " + reply.text()).isNotEmpty();
        return reply.errorCode();
    }

    private String pushBlobUnlessPresent(String repository, byte[] content, String token) {
        String digest = RegistryHttp.sha256(content);
        RegistryHttp.Reply head = registry.send("HEAD", "/v2/" + repository + "/blobs/" + digest, token, null);
        if (head.status() == 200) {
            return null;
        }
        RegistryHttp.Reply reply = registry.send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, token, content,
                "Content-Type", "application/octet-stream");
        if (reply.status() == 201) {
            return null;
        }
        assertThat(reply.errorCode()).as("a failed blob upload: " + reply.status() + " " + reply.text()).isNotEmpty();
        return reply.errorCode();
    }

    /** Every tag the registry lists pulls, with every digest verified; every manifest in storage has its blobs. */
    void assertEverythingWhole() throws IOException {
        String token = this.token.get();
        int pulled = 0;
        for (String repository : repositories) {
            RegistryHttp.Reply list = registry.get("/v2/" + repository + "/tags/list", token);
            assertThat(list.status()).as(list.text()).isEqualTo(200);
            for (JsonNode tag : list.json().path("tags")) {
                RegistryHttp.Reply manifest = registry.get("/v2/" + repository + "/manifests/" + tag.asString(), token,
                        "Accept", RegistryHttp.ACCEPT_ALL);
                assertThat(manifest.status()).as(repository + ":" + tag.asString() + " " + manifest.text()).isEqualTo(200);
                assertThat(RegistryHttp.sha256(manifest.body())).isEqualTo(manifest.header("Docker-Content-Digest"));
                JsonNode parsed = manifest.json();
                List<String> digests = new ArrayList<>();
                digests.add(parsed.path("config").path("digest").asString());
                parsed.path("layers").forEach(layer -> digests.add(layer.path("digest").asString()));
                for (String digest : digests) {
                    RegistryHttp.Reply blob = registry.get("/v2/" + repository + "/blobs/" + digest, token);
                    assertThat(blob.status()).as(repository + ":" + tag.asString() + " blob " + digest).isEqualTo(200);
                    assertThat(RegistryHttp.sha256(blob.body())).isEqualTo(digest);
                }
                pulled++;
            }
        }
        assertThat(pulled).as("tags left to pull").isGreaterThan(0);
        // Storage itself: every revision of every repository has its bytes, and its blobs have data and a link.
        for (String name : repositories) {
            Path revisions = v2.resolve("repositories/" + name + "/_manifests/revisions/sha256");
            if (!Files.isDirectory(revisions)) {
                continue;
            }
            try (var manifests = Files.list(revisions)) {
                for (Path revision : manifests.toList()) {
                    Path data = blobData("sha256:" + revision.getFileName());
                    assertThat(data).as("bytes of revision " + revision).exists();
                    JsonNode manifest = RegistryHttp.JSON.readTree(Files.readAllBytes(data));
                    List<String> digests = new ArrayList<>();
                    digests.add(manifest.path("config").path("digest").asString());
                    manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asString()));
                    for (String digest : digests) {
                        assertThat(blobData(digest)).as("blob " + digest + " of manifest " + revision).exists();
                        assertThat(v2.resolve("repositories/" + name + "/_layers/sha256/" + digest.substring(7) + "/link"))
                                .as("link of " + digest + " in " + name).exists();
                    }
                }
            }
        }
    }

    private Path blobData(String digest) {
        String hex = digest.substring(7);
        return v2.resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

}
