package berth.e2e.registry;

import berth.catalog.Catalog;
import berth.catalog.TagDetails;
import berth.catalog.sync.CatalogSync;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the registry accepts, the catalog shows (issue: a pusher could hide an image from the
 * catalog and fail every full sync with platform, user or layer media-type fields longer than the
 * catalog's columns). Long fields are kept, cut to a readable length with a marker.
 */
class OddImagesInCatalogIT extends EmbeddedRegistryTest {

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogSync sync;

    @Test
    void an_image_with_overlong_platform_user_and_layer_type_is_catalogued_and_syncs() throws Exception {
        project("odd");
        String repository = "odd/long-fields";
        String token = token(repository, "pull", "push");
        RegistryHttp registry = new RegistryHttp(baseUrl());
        String architecture = "a".repeat(100);
        String os = "o".repeat(80);
        String user = "u".repeat(2000);
        String layerType = "application/vnd.example.layer." + "x".repeat(300);
        byte[] config = RegistryHttp.JSON.writeValueAsBytes(Map.of("architecture", architecture, "os", os, "variant", "v".repeat(70),
                "config", Map.of("User", user), "rootfs", Map.of("type", "layers", "diff_ids", List.of())));
        byte[] layer = "a layer".getBytes(StandardCharsets.UTF_8);
        String configDigest = registry.pushBlob(repository, config, token);
        String layerDigest = registry.pushBlob(repository, layer, token);
        byte[] manifest = RegistryHttp.JSON.writeValueAsBytes(Map.of(
                "schemaVersion", 2,
                "mediaType", "application/vnd.oci.image.manifest.v1+json",
                "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", configDigest, "size", config.length),
                "layers", List.of(Map.of("mediaType", layerType, "digest", layerDigest, "size", layer.length))));
        RegistryHttp.Reply put = registry.putManifest(repository, "v1", "application/vnd.oci.image.manifest.v1+json", manifest, token);
        assertThat(put.status()).as(put.text()).isEqualTo(201);

        TagDetails details = awaitTag(repository, "v1");
        TagDetails.Image image = details.image();
        assertThat(image).isNotNull();
        assertThat(image.architecture()).isEqualTo(architecture);
        assertThat(image.os()).isEqualTo(os);
        assertThat(image.config().user()).hasSize(1024).startsWith("uuu").endsWith("…");
        assertThat(image.layers()).singleElement().satisfies(l -> {
            assertThat(l.digest()).isEqualTo(layerDigest);
            assertThat(l.mediaType()).isEqualTo(layerType);
        });

        CatalogSync.SyncStatus status = sync.runNow();
        assertThat(status.state()).as(String.valueOf(status.message())).isEqualTo(CatalogSync.SyncState.SUCCEEDED);
        assertThat(status.failedRepositories()).isZero();
        assertThat(catalog.tag(ADMIN, new berth.oci.RepositoryName(repository), "v1")).isPresent();
    }

    private TagDetails awaitTag(String repository, String tag) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TagDetails> found = catalog.tag(ADMIN, new berth.oci.RepositoryName(repository), tag);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(repository + ":" + tag + " never reached the catalog");
    }
}
