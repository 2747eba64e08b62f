package berth.e2e.registry;

import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage usage and project quotas with skopeo: usage is the sum of the project's unique blob
 * sizes exactly (a layer two repositories share counts once), a push past the quota is refused
 * with a message naming it and stores nothing, and deleting tags plus garbage collection makes
 * room again. Only system administrators set quotas; members read usage.
 */
class QuotaIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "quota";
    private static final long MIB = 1L << 20;

    @Test
    void usage_counts_each_blob_once_and_a_push_past_the_quota_is_refused_until_collection_makes_room() throws Exception {
        Path work = imageDirectory("quota");
        String key = adminAppkey(PROJECT);
        api.createAccount("quota-member@example.test", "member-password-123");
        api.putMember(PROJECT, "quota-member@example.test", "MEMBER");

        BerthApi.Reply refused = api.put("/api/v1/projects/" + PROJECT + "/quota", "quota-member@example.test", "member-password-123",
                Map.of("quotaBytes", 1));
        assertThat(refused.status()).isEqualTo(403);
        BerthApi.Reply set = api.put("/api/v1/projects/" + PROJECT + "/quota", ADMIN, ADMIN_PASSWORD, Map.of("quotaBytes", 10 * MIB));
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        assertThat(set.json().path("quotaBytes").asLong()).isEqualTo(10 * MIB);
        assertThat(api.put("/api/v1/projects/" + PROJECT + "/quota", ADMIN, ADMIN_PASSWORD, Map.of("quotaBytes", -1)).status()).isEqualTo(400);

        // The same 2 MiB image in two repositories, and a 3 MiB one: usage counts the first image's blobs once.
        Image small = TestImages.withRandomLayer(work, "small", 2 * MIB, 1);
        Image medium = TestImages.withRandomLayer(work, "medium", 3 * MIB, 2);
        push(key, small, PROJECT + "/one:small");
        push(key, small, PROJECT + "/two:small");
        push(key, medium, PROJECT + "/one:medium");
        Map<String, Long> unique = new HashMap<>();
        blobSizes(small, unique);
        blobSizes(medium, unique);
        long expected = unique.values().stream().mapToLong(Long::longValue).sum();
        BerthApi.Reply usage = api.get("/api/v1/projects/" + PROJECT + "/usage", "quota-member@example.test", "member-password-123");
        assertThat(usage.status()).as(usage.raw()).isEqualTo(200);
        assertThat(usage.json().path("usedBytes").asLong()).as("usage: the unique blob sizes of the project").isEqualTo(expected);
        assertThat(usage.json().path("quotaBytes").asLong()).isEqualTo(10 * MIB);
        assertThat(usage.json().path("repositories").size()).isEqualTo(2);

        Image big = TestImages.withRandomLayer(work, "big", 12 * MIB, 3);
        Tools.Result denied = Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + key, big.oci(),
                "docker://" + address() + "/" + PROJECT + "/one:big"));
        assertThat(denied.exit()).as(denied.output()).isNotZero();
        assertThat(denied.output()).contains("quota", "Project " + PROJECT);
        String bigLayer = TestImages.contentOf(big.layout(), big.tag()).keySet().stream()
                .filter(digest -> digest.startsWith("sha256:") && sizeIn(big, digest) > 10 * MIB).findFirst().orElseThrow();
        assertThat(STORAGE_ROOT.resolve("docker/registry/v2/blobs/sha256/" + bigLayer.substring(7, 9) + "/" + bigLayer.substring(7)))
                .as("nothing of the refused push is stored").doesNotExist();
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/usage", ADMIN, ADMIN_PASSWORD).json().path("usedBytes").asLong()).isEqualTo(expected);

        // 6 MiB more does not fit; deleting the medium image and collecting makes room.
        Image six = TestImages.withRandomLayer(work, "six", 6 * MIB, 4);
        Tools.Result tooMuch = Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + key, six.oci(),
                "docker://" + address() + "/" + PROJECT + "/one:six"));
        assertThat(tooMuch.exit()).as(tooMuch.output()).isNotZero();
        RegistryHttp registry = new RegistryHttp(baseUrl());
        assertThat(registry.send("DELETE", "/v2/" + PROJECT + "/one/manifests/medium", token(PROJECT + "/one", "pull", "push", "delete"), null)
                .status()).isEqualTo(202);
        var run = GarbageCollectionStressIT.collect(api, Duration.ZERO);
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        Map<String, Long> left = new HashMap<>();
        blobSizes(small, left);
        long afterCollection = left.values().stream().mapToLong(Long::longValue).sum();
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/usage", ADMIN, ADMIN_PASSWORD).json().path("usedBytes").asLong())
                .as("usage after deleting the medium image and collecting").isEqualTo(afterCollection);
        assertThat(api.metric("berth_project_storage_bytes", "project=\"" + PROJECT + "\"")).isEqualTo((double) afterCollection);
        push(key, six, PROJECT + "/one:six");
    }

    private void push(String key, Image image, String reference) {
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + key, image.oci(),
                "docker://" + address() + "/" + reference)).requireSuccess("skopeo push of " + reference);
    }

    /** The image's manifest, config and layers with their sizes, into {@code sizes} by digest. */
    private static void blobSizes(Image image, Map<String, Long> sizes) {
        for (String digest : TestImages.contentOf(image.layout(), image.tag()).keySet()) {
            if (digest.startsWith("sha256:")) {
                sizes.put(digest, sizeIn(image, digest));
            }
        }
    }

    private static long sizeIn(Image image, String digest) {
        try {
            return Files.size(TestImages.blob(image.layout(), digest));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
