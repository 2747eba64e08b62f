package berth.registry.content;

import berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The write barrier between pushes and the garbage collector: a per-digest lock and recency record,
 * the rows of {@code blob_touch}, shared by every instance through the database. A writer that
 * makes a digest visible or relies on it - finishing an upload, mounting, storing a manifest that
 * names it - does so holding the digest's row lock and stamps {@code touched_at} when its storage
 * change is complete; the collector deletes a digest only holding the same lock and only when
 * {@code touched_at} is older than its cutoff. A HEAD stamps the row without the lock. The
 * protocol and why it is enough are on {@code berth.registry.gc.GarbageCollector}.
 *
 * <p>Rows are created (with the epoch: "never touched") before they are locked, outside the
 * locking transaction, because a duplicate-key error would abort a PostgreSQL transaction; a row
 * that disappears between the two (the collector forgets the rows of what it deleted) is created
 * again.
 */
@Component
public class BlobFence {

    private static final int ATTEMPTS = 5;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    BlobFence(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Storage work done under the fence. */
    @FunctionalInterface
    public interface StorageWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding the locks of {@code digests} (taken in digest order, so two writers
     * never deadlock), then stamps them as touched now. Exceptions of {@code work} leave the stamps
     * as they were.
     */
    public <T> T guarded(Collection<Digest> digests, StorageWork<T> work) throws IOException {
        List<String> keys = digests.stream().map(Digest::toString).distinct().sorted().toList();
        for (int attempt = 1; ; attempt++) {
            ensureRows(keys, Instant.EPOCH);
            try {
                return transactions.execute(status -> {
                    for (String key : keys) {
                        if (lock(key) == null) {
                            throw new RowGone();
                        }
                    }
                    T result = unchecked(work);
                    OffsetDateTime now = at(clock.instant());
                    for (String key : keys) {
                        jdbc.update("UPDATE blob_touch SET touched_at = ? WHERE digest = ?", now, key);
                    }
                    return result;
                });
            } catch (RowGone | PessimisticLockingFailureException contended) {
                if (attempt == ATTEMPTS) {
                    throw new IOException("the write barrier of " + keys + " stayed busy after " + ATTEMPTS + " attempts", contended);
                }
                pause(attempt);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Stamps the digest as touched now, without waiting for its lock unless the collector holds it
     * this moment: what a HEAD that found a blob does, so the blob outlives the grace period.
     */
    public void touch(Digest digest) {
        String key = digest.toString();
        OffsetDateTime now = at(clock.instant());
        if (jdbc.update("UPDATE blob_touch SET touched_at = ? WHERE digest = ?", now, key) == 0
                && !insert(key, now)) {
            jdbc.update("UPDATE blob_touch SET touched_at = ? WHERE digest = ?", now, key);
        }
    }

    /**
     * Runs {@code delete} holding the digest's lock if its last touch is before {@code cutoff}; the
     * row goes too when {@code forget} (the digest's content is gone). False when it was touched
     * since, and nothing ran.
     */
    public boolean deleteIfIdle(Digest digest, Instant cutoff, boolean forget, StorageWork<?> delete) throws IOException {
        String key = digest.toString();
        for (int attempt = 1; ; attempt++) {
            ensureRows(List.of(key), Instant.EPOCH);
            try {
                Boolean deleted = transactions.execute(status -> {
                    Instant touched = lock(key);
                    if (touched == null) {
                        throw new RowGone();
                    }
                    if (!touched.isBefore(cutoff)) {
                        return false;
                    }
                    unchecked(delete);
                    if (forget) {
                        jdbc.update("DELETE FROM blob_touch WHERE digest = ?", key);
                    }
                    return true;
                });
                return Boolean.TRUE.equals(deleted);
            } catch (RowGone | PessimisticLockingFailureException contended) {
                if (attempt == ATTEMPTS) {
                    throw new IOException("the write barrier of " + key + " stayed busy after " + ATTEMPTS + " attempts", contended);
                }
                pause(attempt);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** The digests touched at or after {@code since}: what a dry run (which takes no lock) must spare. */
    public Set<String> touchedSince(Instant since) {
        return new HashSet<>(jdbc.queryForList("SELECT digest FROM blob_touch WHERE touched_at >= ?", String.class, at(since)));
    }

    /**
     * Forgets the rows untouched since {@code before}: they protect nothing from a run whose cutoff
     * is later. A writer holding a row's lock commits first, and its fresh stamp then spares the row.
     */
    public int forgetIdle(Instant before) {
        return jdbc.update("DELETE FROM blob_touch WHERE touched_at < ?", at(before));
    }

    private Instant lock(String key) {
        List<OffsetDateTime> found = jdbc.query("SELECT touched_at FROM blob_touch WHERE digest = ? FOR UPDATE",
                (rs, row) -> rs.getObject(1, OffsetDateTime.class), key);
        return found.isEmpty() ? null : found.getFirst().toInstant();
    }

    private void ensureRows(List<String> keys, Instant touched) {
        for (String key : keys) {
            Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM blob_touch WHERE digest = ?", Integer.class, key);
            if (present == null || present == 0) {
                insert(key, at(touched));
            }
        }
    }

    /** Inserts the row; false when another writer inserted it first. */
    private boolean insert(String key, OffsetDateTime touched) {
        try {
            jdbc.update("INSERT INTO blob_touch (digest, touched_at) VALUES (?, ?)", key, touched);
            return true;
        } catch (DataIntegrityViolationException already) {
            return false;
        }
    }

    private static <T> T unchecked(StorageWork<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The row vanished between creating and locking it: start over. */
    private static final class RowGone extends RuntimeException {
        RowGone() {
            super("row forgotten meanwhile", null, false, false);
        }
    }
}
