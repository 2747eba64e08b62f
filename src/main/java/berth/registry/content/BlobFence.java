package berth.registry.content;

import berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
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
    /** Digests locked together: enough deletions to keep the collector's storage calls busy, few enough that a writer waits briefly. */
    private static final int BATCH = 256;
    /**
     * A busy row lock or a row forgotten meanwhile: tried again, {@value #ATTEMPTS} times in all,
     * after 10, 30, 90 and 160 ms. Nothing else is retried.
     */
    private static final RetryPolicy CONTENDED = RetryPolicy.builder()
            .includes(RowGone.class, PessimisticLockingFailureException.class)
            .maxRetries(ATTEMPTS - 1)
            .delay(Duration.ofMillis(10))
            .multiplier(3)
            .maxDelay(Duration.ofMillis(160))
            .build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RetryTemplate retries = new RetryTemplate(CONTENDED);
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
        try {
            return retries.execute(() -> {
                ensureRows(keys, Instant.EPOCH);
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
            });
        } catch (RetryException e) {
            throw rethrown(e, "the write barrier of " + keys);
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

    /** What the collector does to one digest's storage under its lock. */
    @FunctionalInterface
    public interface Deletion {
        void delete(Digest digest) throws IOException;
    }

    /**
     * What {@link #deleteIdle} did: the digests it deleted, those whose deletion failed, and the
     * rest (touched since the cutoff, already gone, or their row was forgotten meanwhile) it left.
     */
    public record Outcome(List<Digest> deleted, Map<Digest, IOException> failed) {
    }

    /**
     * Deletes, holding their locks, those of {@code digests} whose last touch is before
     * {@code cutoff}; their rows go too when {@code forget} (the content is gone). The locks of one
     * batch are taken together (in digest order, as writers take them) and held while the batch's
     * storage deletions run - side by side on {@code parallel}, each of them ended before the locks
     * are let go - so batches are kept small: a writer waits at most for one batch.
     */
    public Outcome deleteIdle(Collection<Digest> digests, Instant cutoff, boolean forget, Executor parallel, Deletion deletion) {
        Map<String, Digest> byKey = new TreeMap<>();
        digests.forEach(digest -> byKey.put(digest.toString(), digest));
        List<Digest> deleted = new ArrayList<>();
        Map<Digest, IOException> failed = new LinkedHashMap<>();
        for (List<String> batch : spread(new ArrayList<>(byKey.keySet()))) {
            ensureRows(batch, Instant.EPOCH);
            Map<Digest, IOException> batchFailed = new ConcurrentHashMap<>();
            try {
                deleted.addAll(retries.execute(() -> {
                    // Nothing is deleted before every lock is taken, so a contended attempt deleted nothing.
                    batchFailed.clear();
                    return transactions.execute(status -> {
                        Map<String, Instant> touched = lockAll(batch);
                        List<Digest> due = new ArrayList<>();
                        for (String key : batch) {
                            Instant last = touched.get(key);
                            if (last != null && last.isBefore(cutoff)) {
                                due.add(byKey.get(key)); // else touched since the cutoff, or forgotten and so possibly being written right now
                            }
                        }
                        List<Digest> batchDeleted = deleteAll(due, parallel, deletion, batchFailed);
                        if (forget && !batchDeleted.isEmpty()) {
                            jdbc.batchUpdate("DELETE FROM blob_touch WHERE digest = ?",
                                    batchDeleted.stream().map(d -> new Object[] {d.toString()}).toList());
                        }
                        return batchDeleted;
                    });
                }));
                failed.putAll(batchFailed);
            } catch (RetryException e) {
                IOException busy = rethrown(e, "the write barrier");
                batch.forEach(key -> failed.put(byKey.get(key), busy));
            }
        }
        return new Outcome(deleted, failed);
    }

    /**
     * The sorted keys in batches of at most {@value #BATCH}, each batch sorted (the lock order) but
     * taking every n-th key: neighbouring digests share a storage directory
     * ({@code blobs/sha256/<ab>}), and deletions side by side in one directory wait for each other
     * in the file system.
     */
    private static List<List<String>> spread(List<String> sorted) {
        int batches = (sorted.size() + BATCH - 1) / BATCH;
        List<List<String>> spread = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            List<String> batch = new ArrayList<>(BATCH);
            for (int i = b; i < sorted.size(); i += batches) {
                batch.add(sorted.get(i));
            }
            spread.add(batch);
        }
        return spread;
    }

    /** Runs the deletions side by side and waits for all of them; returns those that deleted something, in {@code due}'s order. */
    private static List<Digest> deleteAll(List<Digest> due, Executor parallel, Deletion deletion, Map<Digest, IOException> failed) {
        Set<Digest> done = ConcurrentHashMap.newKeySet();
        CompletableFuture.allOf(due.stream().map(digest -> CompletableFuture.runAsync(() -> {
            try {
                deletion.delete(digest);
                done.add(digest);
            } catch (berth.registry.storage.PathNotFoundException gone) {
                // deleted meanwhile by a client, or by a run killed before it finished
            } catch (IOException e) {
                failed.put(digest, e);
            } catch (RuntimeException e) {
                failed.put(digest, new IOException(e.getMessage(), e));
            }
        }, parallel)).toArray(CompletableFuture[]::new)).join();
        return due.stream().filter(done::contains).toList();
    }

    private Map<String, Instant> lockAll(List<String> keys) {
        String marks = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        Map<String, Instant> touched = new HashMap<>();
        jdbc.query("SELECT digest, touched_at FROM blob_touch WHERE digest IN (" + marks + ") ORDER BY digest FOR UPDATE",
                rs -> {
                    touched.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }, keys.toArray());
        return touched;
    }

    /** The digests touched at or after {@code since}: what a dry run (which takes no lock) must spare. */
    public Set<String> touchedSince(Instant since) {
        return new HashSet<>(jdbc.queryForList("SELECT digest FROM blob_touch WHERE touched_at >= ?", String.class, at(since)));
    }

    /** Those of {@code digests} touched at or after {@code since}: what a listing of one repository's removable content must spare. */
    public Set<Digest> touchedSince(Instant since, Collection<Digest> digests) {
        List<Digest> all = List.copyOf(digests);
        Set<Digest> touched = new HashSet<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Digest> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            Map<String, Digest> byKey = new HashMap<>();
            batch.forEach(digest -> byKey.put(digest.toString(), digest));
            List<Object> arguments = new ArrayList<>(byKey.keySet());
            arguments.add(at(since));
            String marks = String.join(", ", java.util.Collections.nCopies(byKey.size(), "?"));
            jdbc.query("SELECT digest FROM blob_touch WHERE digest IN (" + marks + ") AND touched_at >= ?",
                    rs -> {
                        touched.add(byKey.get(rs.getString(1)));
                    }, arguments.toArray());
        }
        return touched;
    }

    /**
     * Forgets the rows untouched since {@code before}: they protect nothing from a run whose cutoff
     * is later. A batch at a time, holding the batch's locks taken in digest order as writers take
     * theirs: one {@code DELETE} over all of them locked its rows in whatever order the database
     * met them and deadlocked with a push on PostgreSQL. A writer holding a row's lock commits
     * first, and its fresh stamp then spares the row.
     */
    public int forgetIdle(Instant before) throws IOException {
        List<String> idle = jdbc.queryForList("SELECT digest FROM blob_touch WHERE touched_at < ? ORDER BY digest", String.class, at(before));
        int forgotten = 0;
        for (int from = 0; from < idle.size(); from += BATCH) {
            List<String> batch = idle.subList(from, Math.min(idle.size(), from + BATCH));
            String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
            List<Object> arguments = new ArrayList<>(batch);
            arguments.add(at(before));
            try {
                forgotten += retries.execute(() -> transactions.execute(status -> {
                    lockAll(batch);
                    return jdbc.update("DELETE FROM blob_touch WHERE digest IN (" + marks + ") AND touched_at < ?", arguments.toArray());
                }));
            } catch (RetryException e) {
                throw rethrown(e, "forgetting idle rows of the write barrier");
            }
        }
        return forgotten;
    }

    private Instant lock(String key) {
        List<OffsetDateTime> found = jdbc.query("SELECT touched_at FROM blob_touch WHERE digest = ? FOR UPDATE",
                (rs, row) -> rs.getObject(1, OffsetDateTime.class), key);
        return found.isEmpty() ? null : found.getFirst().toInstant();
    }

    private void ensureRows(List<String> keys, Instant touched) {
        if (keys.size() == 1) {
            Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM blob_touch WHERE digest = ?", Integer.class, keys.getFirst());
            if (present == null || present == 0) {
                insert(keys.getFirst(), at(touched));
            }
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        Set<String> present = new HashSet<>(jdbc.queryForList("SELECT digest FROM blob_touch WHERE digest IN (" + marks + ")",
                String.class, keys.toArray()));
        List<Object[]> missing = keys.stream().filter(key -> !present.contains(key)).map(key -> new Object[] {key, at(touched)}).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            // In a transaction: outside one, each row of the batch is a commit of its own, written to disk.
            transactions.executeWithoutResult(status -> jdbc.batchUpdate("INSERT INTO blob_touch (digest, touched_at) VALUES (?, ?)", missing));
        } catch (DataIntegrityViolationException someInsertedMeanwhile) {
            missing.forEach(row -> insert((String) row[0], (OffsetDateTime) row[1]));
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

    /**
     * What a retried call that did not succeed throws: the work's own {@link IOException} or runtime
     * failure as it was, or, when the barrier stayed contended through every attempt, an
     * {@link IOException} saying so.
     */
    private static IOException rethrown(RetryException e, String what) {
        Throwable last = e.getLastException();
        if (last instanceof UncheckedIOException io) {
            return io.getCause();
        }
        if (last instanceof RowGone || last instanceof PessimisticLockingFailureException) {
            return new IOException(what + " stayed busy after " + ATTEMPTS + " attempts", last);
        }
        if (last instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (last instanceof Error error) {
            throw error;
        }
        return new IOException(last);
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
