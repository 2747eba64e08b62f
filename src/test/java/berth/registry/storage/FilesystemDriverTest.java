package berth.registry.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FilesystemDriverTest extends StorageDriverContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() throws IOException {
        return new FilesystemDriver(root);
    }

    @Test
    void files_land_where_cncf_distribution_looks_for_them() throws IOException {
        driver.putContent("/docker/registry/v2/repositories/team/api/_manifests/tags/1.0/current/link", "sha256:x".getBytes());
        assertThat(root.resolve("docker/registry/v2/repositories/team/api/_manifests/tags/1.0/current/link")).hasContent("sha256:x");
        assertThat(driver.localFile("/docker/registry/v2/x")).contains(root.resolve("docker/registry/v2/x"));
    }

    @Test
    void a_crash_during_put_content_leaves_at_most_an_ignored_temporary_file() throws IOException {
        Path directory = Files.createDirectories(root.resolve("dir"));
        Files.writeString(directory.resolve(FilesystemDriver.TEMPORARY_PREFIX + "link-123"), "half");
        driver.putContent("/dir/link", "whole".getBytes());
        assertThat(driver.list("/dir")).containsExactly("/dir/link");
    }
}
