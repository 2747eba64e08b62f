package berth.registry.content;

import berth.base.Caches;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.registry.storage.FilesystemDriver;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.usage.Quotas;
import berth.registry.usage.StorageUsage;
import berth.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upload sessions over a real filesystem driver in a temporary directory. */
class UploadsTest {

    private static final RepositoryName NAME = new RepositoryName("team/app");
    private static final CacheSettings DEFAULTS = new CacheSettings(20_000, 4096);

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private StorageDriver driver;
    private Blobs blobs;
    private BlobFence fence;
    private Uploads uploads;

    @BeforeEach
    void setUp() throws IOException {
        driver = new FilesystemDriver(root);
        // The write barrier and the usage and quota books live in the database; at this unit's edge they
        // only let the work through, so what is tested here is the upload sessions themselves.
        fence = Mockito.mock(BlobFence.class);
        Mockito.when(fence.guarded(Mockito.any(), Mockito.any())).thenAnswer(call -> call.<BlobFence.StorageWork<?>>getArgument(1).run());
        blobs = new Blobs(driver, fence, Mockito.mock(StorageUsage.class));
        uploads = uploadsWith(DEFAULTS);
    }

    @Test
    void chunks_become_a_blob_of_the_repository_once_the_digest_matches() throws IOException {
        byte[] content = "a layer in three chunks".getBytes(StandardCharsets.UTF_8);
        UUID id = uploads.start(NAME).id();

        assertThat(uploads.append(NAME, id, slice(content, 0, 7), 0L).size()).isEqualTo(7);
        assertThat(uploads.append(NAME, id, slice(content, 7, 15), null).size()).isEqualTo(15);
        clock.advance(Duration.ofSeconds(3));
        Uploads.Completed completed = uploads.complete(NAME, id, Digest.sha256(content), slice(content, 15, content.length), 15L);

        assertThat(completed.digest()).isEqualTo(Digest.sha256(content));
        assertThat(completed.size()).isEqualTo(content.length);
        assertThat(completed.took()).contains(Duration.ofSeconds(3));
        assertThat(blobs.sizeOf(Digest.sha256(content))).contains((long) content.length);
        assertThat(blobs.isLinked(NAME, Digest.sha256(content))).isTrue();
        assertThat(driver.getContent(StorageLayout.blobData(Digest.sha256(content)))).isEqualTo(content);
        assertUnknown(() -> uploads.status(NAME, id));
    }

    @Test
    void a_wrong_digest_discards_the_session_and_leaves_no_blob() throws IOException {
        byte[] content = "the real bytes".getBytes(StandardCharsets.UTF_8);
        Digest claimed = Digest.sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        UUID id = uploads.start(NAME).id();
        uploads.append(NAME, id, slice(content, 0, content.length), null);

        assertThatThrownBy(() -> uploads.complete(NAME, id, claimed, null, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
                    assertThat(e.getMessage()).contains(Digest.sha256(content).toString());
                });

        assertThat(blobs.sizeOf(claimed)).isEmpty();
        assertThat(blobs.sizeOf(Digest.sha256(content))).isEmpty();
        assertThat(blobs.isLinked(NAME, claimed)).isFalse();
        assertUnknown(() -> uploads.status(NAME, id));
    }

    @Test
    void a_chunk_that_does_not_start_where_the_session_ends_is_refused_and_writes_nothing() throws IOException {
        UUID id = uploads.start(NAME).id();
        uploads.append(NAME, id, slice(new byte[10], 0, 10), 0L);

        assertThatThrownBy(() -> uploads.append(NAME, id, slice(new byte[5], 0, 5), 15L))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID));
        assertThatThrownBy(() -> uploads.complete(NAME, id, Digest.sha256(new byte[15]), slice(new byte[5], 0, 5), 5L))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID));

        assertThat(uploads.status(NAME, id).size()).isEqualTo(10);
    }

    @Test
    void without_a_remembered_hash_the_data_is_hashed_again_from_storage() throws IOException {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(content, (byte) 7);
        UUID id = uploads.start(NAME).id();
        uploads.append(NAME, id, slice(content, 0, 1024 * 1024), null);

        // Another instance (or this one after a restart) continues the session: it has no hash state.
        Uploads elsewhere = uploadsWith(DEFAULTS);
        elsewhere.append(NAME, id, slice(content, 1024 * 1024, content.length), null);
        assertThat(elsewhere.complete(NAME, id, Digest.sha256(content), null, null).digest()).isEqualTo(Digest.sha256(content));
        assertThat(driver.getContent(StorageLayout.blobData(Digest.sha256(content)))).isEqualTo(content);
    }

    @Test
    void with_no_room_for_hashes_every_upload_is_still_verified() throws IOException {
        Uploads forgetful = uploadsWith(new CacheSettings(20_000, 0));
        byte[] content = "verified from storage".getBytes(StandardCharsets.UTF_8);
        UUID id = forgetful.start(NAME).id();
        forgetful.append(NAME, id, slice(content, 0, content.length), null);

        assertThatThrownBy(() -> forgetful.complete(NAME, id, Digest.sha256(new byte[1]), null, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));

        UUID again = forgetful.start(NAME).id();
        forgetful.append(NAME, again, slice(content, 0, content.length), null);
        assertThat(forgetful.complete(NAME, again, Digest.sha256(content), null, null).size()).isEqualTo(content.length);
    }

    @Test
    void an_empty_blob_needs_no_chunk() throws IOException {
        UUID id = uploads.start(NAME).id();

        uploads.complete(NAME, id, Digest.sha256(new byte[0]), null, null);

        assertThat(blobs.sizeOf(Digest.sha256(new byte[0]))).contains(0L);
        assertThat(blobs.isLinked(NAME, Digest.sha256(new byte[0]))).isTrue();
    }

    @Test
    void chunks_sent_at_once_to_one_session_all_land_one_after_another() throws Exception {
        UUID id = uploads.start(NAME).id();
        int chunks = 16;
        int chunkSize = 64 * 1024 + 3;
        List<Future<?>> sent = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < chunks; i++) {
                byte fill = (byte) i;
                sent.add(senders.submit(() -> {
                    byte[] chunk = new byte[chunkSize];
                    Arrays.fill(chunk, fill);
                    return uploads.append(NAME, id, new ByteArrayInputStream(chunk), null);
                }));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        }

        assertThat(uploads.status(NAME, id).size()).isEqualTo((long) chunks * chunkSize);
        byte[] stored = driver.getContent(StorageLayout.uploadData(NAME, id));
        for (int at = 0; at < stored.length; at += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(stored, at, at + chunkSize);
            byte first = chunk[0];
            assertThat(chunk).as("chunk at %d is one request's bytes, not interleaved", at).containsOnly(first);
        }
        assertThat(uploads.complete(NAME, id, Digest.sha256(stored), null, null).size()).isEqualTo(stored.length);
    }

    @Test
    void a_cancelled_session_is_gone_and_cancelling_it_again_says_so() throws IOException {
        UUID id = uploads.start(NAME).id();
        uploads.append(NAME, id, slice(new byte[4], 0, 4), null);

        uploads.cancel(NAME, id);

        assertUnknown(() -> uploads.status(NAME, id));
        assertUnknown(() -> uploads.cancel(NAME, id));
        uploads.discard(NAME, id); // a session that may be gone: no error
        assertThatThrownBy(() -> driver.stat(StorageLayout.upload(NAME, id))).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void only_a_canonical_uuid_names_a_session() {
        UUID id = UUID.randomUUID();
        assertThat(Uploads.parseId(id.toString())).isEqualTo(id);
        for (String text : List.of(id.toString().toUpperCase(), "../" + id, id + "x", "", "not-a-uuid\n")) {
            assertUnknown(() -> Uploads.parseId(text));
        }
    }

    private Uploads uploadsWith(CacheSettings settings) {
        return new Uploads(driver, blobs, fence, Mockito.mock(Quotas.class), clock, new Caches(new SimpleMeterRegistry(), clock), settings);
    }

    private static ByteArrayInputStream slice(byte[] content, int from, int to) {
        return new ByteArrayInputStream(Arrays.copyOfRange(content, from, to));
    }

    private static void assertUnknown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
    }
}
