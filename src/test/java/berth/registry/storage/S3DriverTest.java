package berth.registry.storage;

import berth.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 driver passes the driver contract against a real S3 API (S3Proxy), and keeps the promises
 * only an object store can break: keys as Distribution's S3 driver names them, multipart uploads
 * that stream, appends that another instance continues, and moves above the copy limit.
 */
class S3DriverTest extends StorageDriverContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final int MIB = 1 << 20;
    /** Real S3 part minimum (5 MiB), copy parts of 10 MiB and pages of 3 keys, so the multipart and paging paths run on little data. */
    private static final S3Driver.Limits SMALL = new S3Driver.Limits(5 * MIB, 10L * MIB, 3);

    private static final String PREFIX = "registry-root";

    private final S3ProxyServer server = S3ProxyServer.get();
    private final List<S3Driver> drivers = new ArrayList<>();
    private String bucket;

    @Override
    protected StorageDriver newDriver() {
        bucket = server.newBucket("contract-" + BUCKETS.incrementAndGet());
        return driver(S3Driver.Limits.S3, false);
    }

    /** Through {@link S3Driver#connect}, as Berth makes it, unless the test lowers the limits. */
    private S3Driver driver(S3Driver.Limits limits, boolean redirect) {
        S3Driver driver = limits == S3Driver.Limits.S3
                ? S3Driver.connect(settings(redirect))
                : S3Driver.connect(settings(false), limits);
        drivers.add(driver);
        return driver;
    }

    private StorageSettings.S3 settings(boolean redirect) {
        return new StorageSettings.S3(bucket, "/" + PREFIX + "/", "us-east-1", server.endpoint(), true,
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, redirect);
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(S3Driver::close);
    }

    @Test
    void keys_are_distribution_s3_keys_under_the_prefix_without_a_leading_slash() throws IOException {
        driver.putContent("/docker/registry/v2/repositories/team/api/_manifests/tags/1.0/current/link", bytes(8));
        assertThat(keys()).containsExactly("registry-root/docker/registry/v2/repositories/team/api/_manifests/tags/1.0/current/link");
        assertThat(driver.list("/")).containsExactly("/docker");
    }

    @Test
    void a_large_write_goes_up_in_parts_and_reads_back_identical() throws IOException {
        S3Driver driver = driver(SMALL, false);
        byte[] content = random(13 * MIB, 1);
        try (StorageWriter writer = driver.writer("/uploads/big/data", false)) {
            for (int offset = 0; offset < content.length; offset += 300_000) { // chunks that straddle the parts
                writer.write(ByteBuffer.wrap(content, offset, Math.min(300_000, content.length - offset)));
            }
            assertThat(writer.size()).isEqualTo(content.length);
            writer.commit();
        }
        assertThat(readAll(driver, "/uploads/big/data", 0)).isEqualTo(content);
        assertThat(readAll(driver, "/uploads/big/data", 7 * MIB + 3)).isEqualTo(java.util.Arrays.copyOfRange(content, 7 * MIB + 3, content.length));
        assertThat(Files.size(objectFile("/uploads/big/data"))).isEqualTo(content.length);
    }

    @Test
    void another_instance_continues_an_upload_small_or_large() throws IOException {
        S3Driver first = driver(SMALL, false);
        S3Driver second = driver(SMALL, false); // another client, as on another Berth instance
        byte[] a = random(2 * MIB, 2);   // below the part minimum: read back and re-sent
        byte[] b = random(4 * MIB, 3);   // now 6 MiB: copied inside the store
        byte[] c = random(9 * MIB, 4);   // 15 MiB: copied in two ranges (copy parts of 10 MiB at most), then new parts
        append(first, a);
        append(second, b);
        append(first, c);
        append(second, new byte[0]);
        assertThat(second.stat("/uploads/u/data").size()).isEqualTo(a.length + b.length + c.length);
        assertThat(readAll(first, "/uploads/u/data", 0)).isEqualTo(concat(a, b, c));
    }

    @Test
    void a_writer_closed_without_commit_leaves_the_file_as_it_was() throws IOException {
        S3Driver driver = driver(SMALL, false);
        byte[] before = random(6 * MIB, 5);
        append(driver, before);
        try (StorageWriter broken = driver.writer("/uploads/u/data", true)) {
            broken.write(ByteBuffer.wrap(random(11 * MIB, 6))); // parts went up; the chunk broke off before commit
        }
        assertThat(readAll(driver, "/uploads/u/data", 0)).isEqualTo(before);
    }

    @Test
    void a_move_above_the_copy_limit_copies_in_parts() throws IOException {
        S3Driver driver = driver(SMALL, false);
        byte[] content = random(13 * MIB, 7);
        append(driver, content);
        driver.move("/uploads/u/data", "/blobs/x/data");
        assertThat(readAll(driver, "/blobs/x/data", 0)).isEqualTo(content);
        assertThatThrownBy(() -> driver.stat("/uploads/u/data")).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void listing_and_deleting_page_through_many_keys() throws IOException {
        S3Driver driver = driver(SMALL, false); // pages of 3 keys
        for (int i = 0; i < 8; i++) {
            driver.putContent("/repo/_layers/sha256/" + i + "/link", bytes(3));
        }
        driver.putContent("/repo/_layers-not-below/link", bytes(3));
        assertThat(driver.list("/repo/_layers/sha256")).hasSize(8);
        List<String> walked = new ArrayList<>();
        driver.walk("/repo", info -> walked.add(info.path()));
        assertThat(walked).hasSize(2 + 8 * 2 + 2);
        assertThat(walked.indexOf("/repo/_layers/sha256/7/link")).isLessThan(walked.indexOf("/repo/_layers-not-below"));
        driver.delete("/repo/_layers");
        assertThat(driver.list("/repo")).containsExactly("/repo/_layers-not-below");
    }

    @Test
    void with_redirects_a_presigned_url_serves_the_blob_to_anyone_holding_it() throws Exception {
        S3Driver driver = driver(S3Driver.Limits.S3, true);
        byte[] content = random(100_000, 8);
        driver.putContent("/blobs/r/data", content);
        assertThat(this.driver.redirectUrl("/blobs/r/data")).isEmpty();
        URI url = driver.redirectUrl("/blobs/r/data").orElseThrow();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void a_bucket_without_settings_is_refused_with_the_setting_named() {
        assertThatThrownBy(() -> S3Driver.connect(new StorageSettings.S3(null, "", null, null, false, null, null, false)))
                .hasMessageContaining("BERTH_STORAGE_S3_BUCKET");
        assertThat(new StorageSettings.S3("b", "", null, null, false, "AKIA-visible", "very-secret", false).toString())
                .doesNotContain("very-secret").doesNotContain("AKIA-visible");
    }

    private static void append(StorageDriver driver, byte[] content) throws IOException {
        try (StorageWriter writer = driver.writer("/uploads/u/data", true)) {
            long before = writer.size();
            writer.write(ByteBuffer.wrap(content));
            assertThat(writer.size()).isEqualTo(before + content.length);
            writer.commit();
        }
    }

    private static byte[] readAll(StorageDriver driver, String path, long offset) throws IOException {
        try (InputStream in = driver.reader(path, offset)) {
            return in.readAllBytes();
        }
    }

    private List<String> keys() {
        try (S3Client client = client()) {
            // S3Proxy's filesystem backend also lists its directories as keys ending in '/'; S3 has no such keys.
            return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                    .filter(key -> !key.endsWith("/")).toList();
        }
    }

    private Path objectFile(String path) {
        return server.directory().resolve(bucket).resolve(PREFIX + path);
    }

    /** A client of the same server with the same credentials, for looking at the bucket directly. */
    private S3Client client() {
        return S3Client.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(int size) {
        return random(size, size);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
