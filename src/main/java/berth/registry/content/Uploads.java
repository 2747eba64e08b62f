package berth.registry.content;

import berth.base.Caches;
import berth.base.StripedLocks;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.storage.StorageWriter;
import berth.registry.usage.Quotas;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Blob upload sessions. A session is nothing but its directory {@code _uploads/<uuid>/} in
 * storage, so any Berth instance can continue what another began. The bytes grow in the
 * session's {@code data}; they become a blob only when the client names the digest, the registry
 * has verified it, and an atomic move puts them under {@code blobs/}.
 *
 * <p>The SHA-256 is computed while the bytes stream in. Its state is kept in memory for the next
 * request of the same session (clients send chunks to the same instance in practice); when it is
 * missing - another instance, a restart - the data is hashed again from storage, which is what
 * CNCF Distribution does when it has no saved hash state either.
 */
@Component
public class Uploads {

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER = 1 << 20;
    private static final int SMALL_BUFFER = 64 * 1024;

    private final StorageDriver driver;
    private final Blobs blobs;
    private final BlobFence fence;
    private final Quotas quotas;
    private final Clock clock;
    /** One request at a time per session: a chunk and the completion must not interleave. */
    private final StripedLocks locks = new StripedLocks(256);
    /** Taken out while a request uses it, so a state is never shared; losing one costs a re-hash. */
    private final Cache<UUID, HashState> hashes;

    public Uploads(StorageDriver driver, Blobs blobs, BlobFence fence, Quotas quotas, Clock clock, Caches caches, CacheSettings settings) {
        this.driver = driver;
        this.blobs = blobs;
        this.fence = fence;
        this.quotas = quotas;
        this.clock = clock;
        this.hashes = caches.build("berth.registry.upload-hashes", Caffeine.newBuilder().maximumSize(settings.uploadHashes()));
    }

    /** Where a session stands: its id and how many bytes it holds. */
    public record Status(UUID id, long size) {
    }

    /** A blob that a finished upload made visible, and how long the session took from its start (when known). */
    public record Completed(Digest digest, long size, Optional<Duration> took) {
    }

    /** The id of a session as it appears in a URL; anything but a canonical UUID names no session. */
    public static UUID parseId(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "There is no upload session '" + RegistryException.shown(text, 64) + "'.");
        }
        return UUID.fromString(text);
    }

    public Status start(RepositoryName name) throws IOException {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        driver.putContent(StorageLayout.uploadStartedAt(name, id), DateTimeFormatter.ISO_INSTANT.format(now).getBytes(StandardCharsets.US_ASCII));
        try (StorageWriter writer = driver.writer(StorageLayout.uploadData(name, id), false)) {
            writer.commit();
        }
        hashes.put(id, new HashState(Digest.newMessageDigest("sha256"), 0, now));
        return new Status(id, 0);
    }

    public Status status(RepositoryName name, UUID id) throws IOException {
        return new Status(id, sizeOf(name, id));
    }

    /**
     * Appends a chunk. With {@code start} (from {@code Content-Range}) the chunk must begin where the
     * session ends, or the request is refused with 416 and nothing is written.
     */
    public Status append(RepositoryName name, UUID id, InputStream body, @Nullable Long start) throws IOException {
        return locks.inside(id, () -> {
            long size = sizeOf(name, id);
            if (start != null && start != size) {
                throw new RegistryException(ErrorCode.RANGE_INVALID,
                        "The chunk starts at byte " + start + " but the upload holds " + size + " bytes; send the chunk that starts at " + size + ".");
            }
            return new Status(id, appendLocked(name, id, body, size));
        });
    }

    /**
     * Finishes a session: appends the optional last chunk, verifies the digest and makes the blob
     * visible in the repository. On a mismatch the session is discarded and nothing becomes visible.
     */
    public Completed complete(RepositoryName name, UUID id, Digest expected, @Nullable InputStream lastChunk, @Nullable Long start)
            throws IOException {
        return locks.inside(id, () -> {
            long size = sizeOf(name, id);
            if (start != null && start != size) {
                throw new RegistryException(ErrorCode.RANGE_INVALID,
                        "The last chunk starts at byte " + start + " but the upload holds " + size + " bytes.");
            }
            if (lastChunk != null) {
                size = appendLocked(name, id, lastChunk, size);
            }
            HashState running = hashes.getIfPresent(id);
            Instant startedAt = running == null ? null : running.startedAt();
            Digest actual = digestOf(name, id, expected.algorithm(), size);
            if (!actual.equals(expected)) {
                cancelLocked(name, id);
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "The uploaded content has digest " + actual + ", not " + expected + "; the upload was discarded.",
                        Map.of("expected", expected.toString(), "actual", actual.toString()));
            }
            try {
                quotas.requireRoom(name, expected, size);
            } catch (RegistryException overQuota) {
                cancelLocked(name, id); // nothing of a refused upload stays
                throw overQuota;
            }
            Optional<Duration> took = durationOf(name, id, startedAt);
            String data = StorageLayout.uploadData(name, id);
            // Under the write barrier: the collector cannot delete the blob between the existence check and the link.
            long stored = size;
            fence.guarded(java.util.List.of(expected), () -> {
                if (blobs.sizeOf(expected).isEmpty()) {
                    try {
                        driver.move(data, StorageLayout.blobData(expected));
                    } catch (PathNotFoundException e) {
                        driver.putContent(StorageLayout.blobData(expected), new byte[0]); // verified empty, never written
                    }
                }
                blobs.link(name, expected, stored);
                return null;
            });
            cancelLocked(name, id);
            return new Completed(expected, size, took);
        });
    }

    public void cancel(RepositoryName name, UUID id) throws IOException {
        locks.inside(id, () -> {
            sizeOf(name, id);
            cancelLocked(name, id);
        });
    }

    /** Cancels a session that may already be gone. */
    public void discard(RepositoryName name, UUID id) throws IOException {
        locks.inside(id, () -> cancelLocked(name, id));
    }

    private long appendLocked(RepositoryName name, UUID id, InputStream body, long size) throws IOException {
        HashState state = hashes.asMap().remove(id);
        MessageDigest hash = state != null && state.offset() == size ? state.digest() : null;
        // Small bodies (configs, small layers) are most requests: start small, grow for a big stream.
        byte[] buffer = new byte[SMALL_BUFFER];
        long total = size;
        try (StorageWriter writer = driver.writer(StorageLayout.uploadData(name, id), true)) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                if (read == 0) {
                    continue;
                }
                if (read == buffer.length && buffer.length < BUFFER) {
                    writer.write(ByteBuffer.wrap(buffer, 0, read));
                    if (hash != null) {
                        hash.update(buffer, 0, read);
                    }
                    total += read;
                    buffer = new byte[BUFFER];
                    continue;
                }
                writer.write(ByteBuffer.wrap(buffer, 0, read));
                if (hash != null) {
                    hash.update(buffer, 0, read);
                }
                total += read;
            }
            writer.commit();
        }
        if (hash != null) {
            hashes.put(id, new HashState(hash, total, state.startedAt()));
        }
        return total;
    }

    private Digest digestOf(RepositoryName name, UUID id, String algorithm, long size) throws IOException {
        HashState state = hashes.asMap().remove(id);
        if (state != null && state.offset() == size && "sha256".equals(algorithm)) {
            return Digest.of(state.digest().digest(), algorithm);
        }
        MessageDigest hash = Digest.newMessageDigest(algorithm);
        if (size > 0) {
            byte[] buffer = new byte[(int) Math.min(BUFFER, size)];
            try (InputStream in = driver.reader(StorageLayout.uploadData(name, id), 0)) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    hash.update(buffer, 0, read);
                }
            }
        }
        return Digest.of(hash.digest(), algorithm);
    }

    private void cancelLocked(RepositoryName name, UUID id) throws IOException {
        hashes.invalidate(id);
        try {
            driver.delete(StorageLayout.upload(name, id));
        } catch (PathNotFoundException e) {
            // already gone
        }
    }

    private long sizeOf(RepositoryName name, UUID id) throws IOException {
        try {
            return driver.stat(StorageLayout.uploadData(name, id)).size();
        } catch (PathNotFoundException e) {
            try {
                driver.stat(StorageLayout.uploadStartedAt(name, id));
                return 0; // a session CNCF Distribution began has no data before its first chunk
            } catch (PathNotFoundException gone) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                        "There is no upload session " + id + " in repository " + name + "; it finished, was cancelled, or never began.");
            }
        }
    }

    /**
     * How long the session has run: from the start this instance remembers, else from its
     * {@code startedat} (another instance began it); empty when that cannot be read. Only
     * a statistic: a storage hiccup here must not fail an upload whose bytes are verified.
     */
    private Optional<Duration> durationOf(RepositoryName name, UUID id, @Nullable Instant remembered) {
        try {
            Optional<Instant> started = remembered != null ? Optional.of(remembered) : startedAt(driver, StorageLayout.uploadStartedAt(name, id));
            return started.map(from -> {
                Duration took = Duration.between(from, clock.instant());
                return took.isNegative() ? Duration.ZERO : took;
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * When a session began, from its {@code startedat} file (written by {@link #start}, or by CNCF
     * Distribution in the same RFC 3339 form); empty when the file is missing or not a time.
     */
    static Optional<Instant> startedAt(StorageDriver driver, String startedAtPath) throws IOException {
        try {
            return Optional.of(Instant.parse(new String(driver.getContent(startedAtPath), StandardCharsets.US_ASCII).trim()));
        } catch (PathNotFoundException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A session's running hash, and its start (known here without reading {@code startedat} again). */
    private record HashState(MessageDigest digest, long offset, Instant startedAt) {
    }
}
