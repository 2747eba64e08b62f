package berth.e2e.registry;

import berth.e2e.ConsoleE2E;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The repository list's Storage column in Chromium: what a repository holds in storage, each blob
 * once - unlike the Size column, which adds up the images and so counts a shared layer per image.
 */
class RepositoryStorageColumnE2EIT extends ConsoleE2E {

    @Test
    void the_storage_column_counts_a_layer_two_images_share_once() {
        String project = "columns";
        String repository = project + "/app";
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        RegistryHttp registry = new RegistryHttp(url(""));
        String token = RegistryHttp.adminToken(api, repository);
        byte[] shared = "a layer both images share, long enough to tell one count from two: ".repeat(8).getBytes(StandardCharsets.UTF_8);
        long stored = shared.length;
        long imageSizes = 0;
        for (String name : List.of("one", "two")) {
            byte[] config = RegistryHttp.config(name);
            registry.pushBlob(repository, config, token);
            registry.pushBlob(repository, shared, token);
            byte[] manifest = RegistryHttp.imageManifest(config, List.of(shared));
            RegistryHttp.Reply put = registry.putManifest(repository, name, "application/vnd.oci.image.manifest.v1+json", manifest, token);
            org.assertj.core.api.Assertions.assertThat(put.status()).as(put.text()).isEqualTo(201);
            stored += config.length + manifest.length;
            imageSizes += config.length + shared.length + manifest.length;
        }
        JsonNode usage = api.get("/api/v1/projects/" + project + "/usage", ADMIN_EMAIL, ADMIN_PASSWORD).json();
        org.assertj.core.api.Assertions.assertThat(usage.at("/repositories/0/usedBytes").asLong())
                .as("the usage API's count of " + repository + ": " + usage).isEqualTo(stored);
        org.assertj.core.api.Assertions.assertThat(kibibytes(stored)).isNotEqualTo(kibibytes(imageSizes));

        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/" + project));
        assertThat(page.locator("#repositories")).containsText("Storage");
        assertThat(page.locator("#repositories")).containsText(kibibytes(stored));
        assertThat(page.locator("#repositories")).containsText(kibibytes(imageSizes));
    }

    /** How the console writes a size between 1 and 100 KiB. */
    private static String kibibytes(long bytes) {
        org.assertj.core.api.Assertions.assertThat(bytes).isBetween(1024L, 100L * 1024);
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
