package berth.e2e.registry;

import berth.e2e.DistributionRegistry;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth's storage is CNCF Distribution's: docker-registry 2.8.2, started on Berth's own storage
 * directory, serves what Berth stored, and Berth serves what docker-registry stored there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionCompatibilityIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "compat";

    private Path work;
    private String key;
    private DistributionRegistry distribution;

    @BeforeAll
    void distributionOnBerthsStorage() throws Exception {
        work = imageDirectory("compat");
        key = adminAppkey(PROJECT);
        distribution = DistributionRegistry.start(STORAGE_ROOT, work);
    }

    @AfterAll
    void stopDistribution() {
        if (distribution != null) {
            distribution.close();
        }
    }

    @Test
    void what_berth_stored_docker_registry_serves_every_tag_of() throws Exception {
        Image first = TestImages.withFiles(work, "1.0", Map.of("one.txt", "first\n"));
        Image second = TestImages.withFiles(work, "2.0", Map.of("two.txt", "second\n"));
        push(first, "docker://" + address() + "/" + PROJECT + "/by-berth:1.0", "--dest-creds", ADMIN + ":" + key);
        push(second, "docker://" + address() + "/" + PROJECT + "/by-berth:2.0", "--dest-creds", ADMIN + ":" + key);
        push(second, "docker://" + address() + "/" + PROJECT + "/by-berth:latest", "--dest-creds", ADMIN + ":" + key);
        // An index too, pushed through Berth, with the two images as its children.
        pushIndex();

        Tools.Result tags = Tools.run(Tools.skopeo("list-tags", "--tls-verify=false", "docker://" + distribution.address() + "/" + PROJECT + "/by-berth"));
        assertThat(tags.requireSuccess("skopeo list-tags on docker-registry").output()).contains("\"1.0\"", "\"2.0\"", "\"latest\"", "\"multi\"");

        for (var entry : Map.of("1.0", first, "2.0", second, "latest", second).entrySet()) {
            Path pulled = work.resolve("from-distribution-" + entry.getKey());
            Tools.run(Tools.skopeo("copy", "--src-tls-verify=false",
                    "docker://" + distribution.address() + "/" + PROJECT + "/by-berth:" + entry.getKey(), "oci:" + pulled + ":pulled"))
                    .requireSuccess("skopeo pull of " + entry.getKey() + " from docker-registry");
            assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(entry.getValue().layout(), entry.getValue().tag()));
        }
        Path all = work.resolve("from-distribution-multi");
        Tools.run(Tools.skopeo("copy", "--all", "--src-tls-verify=false",
                "docker://" + distribution.address() + "/" + PROJECT + "/by-berth:multi", "oci:" + all + ":pulled"))
                .requireSuccess("skopeo pull --all of the index from docker-registry");
    }

    @Test
    void what_docker_registry_stored_berth_serves() {
        Image image = TestImages.withFiles(work, "3.0", Map.of("three.txt", "stored by docker-registry\n"));
        push(image, "docker://" + distribution.address() + "/" + PROJECT + "/by-distribution:3.0");

        Path pulled = work.resolve("from-berth");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + PROJECT + "/by-distribution:3.0", "oci:" + pulled + ":pulled"))
                .requireSuccess("skopeo pull from Berth of what docker-registry stored");
        assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(image.layout(), image.tag()));

        Tools.Result tags = Tools.run(Tools.skopeo("list-tags", "--tls-verify=false", "--creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + PROJECT + "/by-distribution"));
        assertThat(tags.requireSuccess("skopeo list-tags on Berth").output()).contains("\"3.0\"");
    }

    /**
     * Distribution's own collector (how external mode collects), run on Berth's storage, reclaims
     * the blobs of a manifest deleted through Berth, keeps every blob a tagged image needs, and
     * Berth answers for what went as for any unknown blob - so a client pushes it again.
     */
    @Test
    void distributions_garbage_collector_reclaims_what_berth_deleted_and_keeps_what_is_tagged() throws Exception {
        Image kept = TestImages.withFiles(work, "kept", Map.of("kept.txt", "still tagged\n"));
        Image dropped = TestImages.withFiles(work, "dropped", Map.of("dropped.txt", "deleted through Berth\n"));
        String repository = PROJECT + "/collected";
        push(kept, "docker://" + address() + "/" + repository + ":kept", "--dest-creds", ADMIN + ":" + key);
        push(dropped, "docker://" + address() + "/" + repository + ":dropped", "--dest-creds", ADMIN + ":" + key);
        RegistryHttp registry = new RegistryHttp(baseUrl());
        String token = token(repository, "pull", "push", "delete");
        RegistryHttp.Reply manifest = registry.get("/v2/" + repository + "/manifests/dropped", token, "Accept", RegistryHttp.ACCEPT_ALL);
        assertThat(manifest.status()).isEqualTo(200);
        String layer = RegistryHttp.JSON.readTree(manifest.body()).path("layers").get(0).path("digest").asString();
        Path layerData = STORAGE_ROOT.resolve("docker/registry/v2/blobs/sha256/" + layer.substring(7, 9) + "/" + layer.substring(7) + "/data");

        assertThat(registry.send("DELETE", "/v2/" + repository + "/manifests/" + manifest.header("Docker-Content-Digest"), token, null).status())
                .isEqualTo(202);
        assertThat(layerData).as("deleting a manifest leaves its blobs to the garbage collector").exists();

        String collected = DistributionRegistry.garbageCollect(STORAGE_ROOT, work);

        assertThat(layerData).as("garbage-collect printed:\n" + collected).doesNotExist();
        RegistryHttp.Reply gone = registry.send("HEAD", "/v2/" + repository + "/blobs/" + layer, token, null);
        assertThat(gone.status()).as("Berth on a blob the collector took").isEqualTo(404);
        RegistryHttp.Reply body = registry.get("/v2/" + repository + "/blobs/" + layer, token);
        assertThat(body.status()).isEqualTo(404);
        assertThat(new String(body.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("BLOB_UNKNOWN");

        Path pulled = work.resolve("kept-after-gc");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + repository + ":kept", "oci:" + pulled + ":pulled"))
                .requireSuccess("skopeo pull from Berth of the image still tagged after garbage-collect");
        assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(kept.layout(), kept.tag()));

        push(dropped, "docker://" + address() + "/" + repository + ":again", "--dest-creds", ADMIN + ":" + key);
        Path again = work.resolve("dropped-again");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + key,
                "docker://" + address() + "/" + repository + ":again", "oci:" + again + ":pulled"))
                .requireSuccess("skopeo pull from Berth of the image pushed again after garbage-collect");
        assertThat(TestImages.contentOf(again, "pulled")).isEqualTo(TestImages.contentOf(dropped.layout(), dropped.tag()));
    }

    private void pushIndex() {
        RegistryHttp registry = new RegistryHttp(baseUrl());
        String token = token(PROJECT + "/by-berth", "pull", "push");
        assertThat(registry.putIndex(PROJECT + "/by-berth", "multi", "1.0", "2.0", token).status())
                .isEqualTo(201);
    }

    private static void push(Image image, String destination, String... credentials) {
        List<String> args = new java.util.ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
        args.addAll(List.of(credentials));
        args.addAll(List.of(image.oci(), destination));
        Tools.run(Tools.skopeo(args.toArray(String[]::new))).requireSuccess("skopeo push to " + destination);
    }
}
