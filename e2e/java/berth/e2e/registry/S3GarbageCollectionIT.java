package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.S3ProxyServer;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online garbage collection on the S3 driver (S3Proxy, whose bucket is a directory the test can
 * count): deleting tags and collecting drops the bucket's objects and bytes by exactly what only
 * the deleted images held, what stays pulls whole; then a shorter storm of pushes, deletes and
 * collections ({@code -Dberth.gc.stress.s3.seconds}, default 30) leaves everything whole.
 */
class S3GarbageCollectionIT {

    private static final String PREFIX = "gc-root";
    private static final int FIVE_MIB = 5 << 20;

    private String token;
    private Instant tokenUntil = Instant.MIN;

    @Test
    void collection_on_s3_frees_the_deleted_images_objects_and_survives_a_storm() throws Exception {
        Path work = ScratchDirectories.create("berth-s3-gc-it");
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("berth-gc");
        Path root = s3.directory().resolve(bucket).resolve(PREFIX);
        List<String> arguments = new ArrayList<>(s3.berthArguments(bucket, PREFIX));
        arguments.add("--berth.registry.gc.schedule=-");
        try (BerthProcess berth = BerthProcess.start(FreePorts.next(), work.resolve("data"), work.resolve("berth.log"), arguments)) {
            BerthApi api = new BerthApi(berth.port());
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "gcs3");
            String appkey = api.appkey(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "gcs3");
            List<String> repositories = List.of("gcs3/reclaim", "gcs3/a", "gcs3/b");
            RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + berth.port());
            java.util.function.Supplier<String> tokens = () -> token(api, appkey, repositories);

            String repository = "gcs3/reclaim";
            Map<String, Image> images = new LinkedHashMap<>();
            for (int i = 1; i <= 6; i++) {
                images.put("a" + i, Image.of(List.of(random(FIVE_MIB, 100 + i)), "a" + i));
            }
            byte[] shared = random(FIVE_MIB, 200);
            images.put("s1", Image.of(List.of(shared), "s1"));
            images.put("s2", Image.of(List.of(shared, random(FIVE_MIB, 201)), "s2"));
            for (var entry : images.entrySet()) {
                entry.getValue().push(registry, repository, entry.getKey(), tokens.get());
            }
            assertSucceeded(GarbageCollectionStressIT.collect(api, Duration.ZERO));
            List<String> deleted = List.of("a1", "a2", "a3", "s1");
            for (String tag : deleted) {
                assertThat(registry.send("DELETE", "/v2/" + repository + "/manifests/" + tag, tokens.get(), null).status()).isEqualTo(202);
            }
            long unique = 0;
            for (String tag : deleted) {
                unique += images.get(tag).bytesNotIn(images.get("s2"));
            }
            long[] before = objectsAndBytes(root);

            JsonNode run = GarbageCollectionStressIT.collect(api, Duration.ZERO);
            assertSucceeded(run);
            long[] after = objectsAndBytes(root);
            assertThat(before[1] - after[1]).as("bytes the bucket lost, against the deleted images' unique bytes " + unique)
                    .isBetween(unique - unique / 100, unique + unique / 100);
            assertThat(before[0] - after[0]).as("objects: 11 blobs, 4 manifest revisions, 7 _layers links").isEqualTo(22);
            assertThat(run.path("blobsDeleted").asLong()).isEqualTo(11);
            for (var entry : images.entrySet()) {
                if (!deleted.contains(entry.getKey())) {
                    entry.getValue().assertPulls(registry, repository, entry.getKey(), tokens.get());
                }
            }

            GcStorm storm = new GcStorm(registry, tokens, grace -> GarbageCollectionStressIT.collect(api, grace),
                    List.of("gcs3/a", "gcs3/b"), root.resolve("docker/registry/v2"));
            GarbageCollectionStressIT.assertStorms(storm, Long.getLong("berth.gc.stress.s3.seconds", 30), "s3");
        }
    }

    /** An image made here: a config naming its tag and the given layers. */
    private record Image(byte[] config, List<byte[]> layers, byte[] manifest) {
        static Image of(List<byte[]> layers, String tag) {
            byte[] config = RegistryHttp.config(tag);
            return new Image(config, layers, RegistryHttp.imageManifest(config, layers));
        }

        void push(RegistryHttp registry, String repository, String tag, String token) {
            registry.pushBlob(repository, config, token);
            layers.forEach(layer -> registry.pushBlob(repository, layer, token));
            RegistryHttp.Reply reply = registry.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest, token);
            assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        }

        long bytesNotIn(Image other) {
            long bytes = manifest.length + config.length;
            for (byte[] layer : layers) {
                if (other.layers.stream().noneMatch(kept -> java.util.Arrays.equals(kept, layer))) {
                    bytes += layer.length;
                }
            }
            return bytes;
        }

        void assertPulls(RegistryHttp registry, String repository, String tag, String token) {
            RegistryHttp.Reply pulled = registry.get("/v2/" + repository + "/manifests/" + tag, token, "Accept", RegistryHttp.ACCEPT_ALL);
            assertThat(pulled.status()).as(tag).isEqualTo(200);
            assertThat(pulled.body()).isEqualTo(manifest);
            List<byte[]> blobs = new ArrayList<>(layers);
            blobs.add(config);
            for (byte[] blob : blobs) {
                RegistryHttp.Reply reply = registry.get("/v2/" + repository + "/blobs/" + RegistryHttp.sha256(blob), token);
                assertThat(reply.status()).as(tag).isEqualTo(200);
                assertThat(RegistryHttp.sha256(reply.body())).isEqualTo(RegistryHttp.sha256(blob));
            }
        }
    }

    private synchronized String token(BerthApi api, String appkey, List<String> repositories) {
        if (Instant.now().isAfter(tokenUntil)) {
            StringBuilder query = new StringBuilder("service=berth-registry");
            repositories.forEach(r -> query.append("&scope=repository:").append(r).append(":pull,push,delete"));
            BerthApi.Reply reply = api.token(BerthApi.ADMIN_EMAIL, appkey, query.toString());
            assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
            token = reply.text("token");
            tokenUntil = Instant.now().plusSeconds(60);
        }
        return token;
    }

    private static void assertSucceeded(JsonNode run) {
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("errors").asInt()).as(run.toString()).isZero();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Objects (files) and their bytes under the bucket's prefix. */
    private static long[] objectsAndBytes(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            long[] result = new long[2];
            files.filter(Files::isRegularFile).forEach(file -> {
                result[0]++;
                try {
                    result[1] += Files.size(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return result;
        }
    }
}
