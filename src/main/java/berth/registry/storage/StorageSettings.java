package berth.registry.storage;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where blobs live ({@code BERTH_STORAGE_DRIVER}, {@code BERTH_STORAGE_FILESYSTEM_ROOT},
 * {@code BERTH_STORAGE_S3_BUCKET}, ...).
 *
 * @param driver {@code filesystem} or {@code s3}
 * @param filesystem settings of the filesystem driver
 * @param s3 settings of the S3 driver
 */
@ConfigurationProperties("berth.storage")
public record StorageSettings(@DefaultValue("filesystem") String driver, @DefaultValue Filesystem filesystem, @DefaultValue S3 s3) {

    /**
     * @param root the directory holding {@code docker/registry/v2}; default {@code <data-dir>/registry}.
     *     CNCF Distribution's {@code storage.filesystem.rootdirectory} can point at the same directory.
     */
    public record Filesystem(@Nullable Path root) {
    }

    /**
     * An S3 bucket, or a bucket of any S3-compatible store (MinIO, Ceph RGW, S3Proxy, ...).
     *
     * @param bucket the bucket; it must exist
     * @param prefix key prefix in front of {@code docker/registry/v2/...}; Distribution's {@code rootdirectory}
     * @param region the bucket's region; {@code us-east-1} when unset (S3-compatible stores mostly ignore it)
     * @param endpoint the store's URL, for anything but AWS S3
     * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; most
     *     S3-compatible stores need it
     * @param accessKey with {@code secretKey}; when unset the AWS SDK's default credentials chain applies
     *     (environment, profile, container or instance role)
     * @param secretKey never logged
     * @param redirect answer blob GETs with a 307 to a presigned URL of the bucket, so layer bytes do not pass
     *     through Berth; clients must reach the endpoint then
     */
    public record S3(
            @Nullable String bucket,
            @DefaultValue("") String prefix,
            @Nullable String region,
            @Nullable URI endpoint,
            @DefaultValue("false") boolean pathStyle,
            @Nullable String accessKey,
            @Nullable String secretKey,
            @DefaultValue("false") boolean redirect) {

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint=" + endpoint
                    + ", pathStyle=" + pathStyle + ", accessKey=" + (accessKey == null ? "unset" : "set")
                    + ", secretKey=" + (secretKey == null ? "unset" : "set") + ", redirect=" + redirect + "]";
        }
    }
}
