package berth.registry.storage;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where blobs live ({@code BERTH_STORAGE_DRIVER}, {@code BERTH_STORAGE_FILESYSTEM_ROOT}).
 *
 * @param driver {@code filesystem} (the only one so far; {@code s3} is next)
 * @param filesystem settings of the filesystem driver
 */
@ConfigurationProperties("berth.storage")
public record StorageSettings(@DefaultValue("filesystem") String driver, @DefaultValue Filesystem filesystem) {

    /**
     * @param root the directory holding {@code docker/registry/v2}; default {@code <data-dir>/registry}.
     *     CNCF Distribution's {@code storage.filesystem.rootdirectory} can point at the same directory.
     */
    public record Filesystem(@Nullable Path root) {
    }
}
