package berth.catalog.sync;

import berth.catalog.CatalogSettings;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.RepositoryLocks;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.ManifestEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Full sync: makes the catalog exactly what the registry holds. {@code _catalog} lists the
 * repositories, {@code tags/list} their tags, and one request per tag tells its digest: a GET
 * with {@code If-None-Match} of the catalogued digest (304 when the tag has not moved), or for a tag
 * the catalog has never seen a plain GET by tag. Only digests the catalog does not know yet cost a
 * config GET. Tags and repositories the registry no longer has leave the catalog. Runs on start,
 * on a schedule and on demand; one at a time, with its progress readable while it runs. When
 * several instances share a database, only the one holding the {@link FullSyncLease} syncs; the
 * others skip their run and say so.
 */
@Service
public class CatalogSync implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);

    private final RegistryClient registry;
    private final ManifestImport manifests;
    private final CatalogStore store;
    private final RepositoryLocks locks;
    private final CatalogSettings settings;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final FullSyncLease lease;
    private final CatalogMetrics metrics;
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<SyncStatus> last = new AtomicReference<>(SyncStatus.never());
    private volatile @Nullable Progress progress;
    /** Renews the lease while a sync runs; touched only by whoever set {@link #running}. */
    private @Nullable ScheduledFuture<?> renewal;

    CatalogSync(RegistryClient registry, ManifestImport manifests, CatalogStore store, RepositoryLocks locks,
                CatalogSettings settings, TaskScheduler scheduler, Clock clock, FullSyncLease lease, CatalogMetrics metrics) {
        this.registry = registry;
        this.manifests = manifests;
        this.store = store;
        this.locks = locks;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lease = lease;
        this.metrics = metrics;
    }

    /** What {@link #start()} did. */
    public enum Start {
        /** A full sync now runs in the background. */
        STARTED,
        /** One was running on this instance already. */
        RUNNING_HERE,
        /** Another instance holds the full-sync lease, so this one skipped; {@link #status()} says who. */
        RUNNING_ELSEWHERE
    }

    /**
     * Where a full sync stands.
     *
     * @param state NEVER_RAN, RUNNING, SUCCEEDED, FAILED, or SKIPPED (another instance held the lease;
     *              then only finishedAt, when it was skipped, and message are set)
     * @param repositoriesTotal repositories the registry listed
     * @param repositoriesDone repositories synced so far
     * @param tags tags seen
     * @param manifestsFetched manifests and configs fetched because their digest was new
     * @param registryRequests requests sent to the registry
     * @param seconds how long it has run (or ran)
     * @param requestsPerSecond registry requests per second
     * @param failedRepositories repositories that could not be synced (they keep what the catalog had)
     * @param message why it failed, or null
     */
    public record SyncStatus(String state, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                             int repositoriesTotal, int repositoriesDone, long tags, long manifestsFetched,
                             long registryRequests, double seconds, double requestsPerSecond,
                             int failedRepositories, @Nullable String message) {

        static SyncStatus never() {
            return new SyncStatus("NEVER_RAN", null, null, 0, 0, 0, 0, 0, 0, 0, 0, null);
        }

        public boolean running() {
            return "RUNNING".equals(state);
        }

        /** Done share between 0 and 1. */
        public double fraction() {
            if (!running()) {
                return "SUCCEEDED".equals(state) ? 1 : 0;
            }
            return repositoriesTotal == 0 ? 0 : (double) repositoriesDone / repositoriesTotal;
        }
    }

    private final class Progress {
        final Instant startedAt = clock.instant();
        final long requestsAtStart = registry.requestCount();
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong tags = new AtomicLong();
        final AtomicLong fetched = new AtomicLong();

        SyncStatus status(String state, @Nullable Instant finishedAt, @Nullable String message) {
            Instant end = finishedAt == null ? clock.instant() : finishedAt;
            double seconds = Math.max(0.001, Duration.between(startedAt, end).toNanos() / 1e9);
            long requests = registry.requestCount() - requestsAtStart;
            return new SyncStatus(state, startedAt, finishedAt, total.get(), done.get(), tags.get(), fetched.get(),
                    requests, seconds, requests / seconds, failed.get(), message);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        if (settings.syncOnStart()) {
            startScheduled();
        }
        Duration interval = settings.fullSyncInterval();
        if (!interval.isZero() && !interval.isNegative()) {
            scheduler.scheduleWithFixedDelay(this::startScheduled, clock.instant().plus(interval), interval);
        }
    }

    /** A run nobody waits for: a database that cannot be asked for the lease costs this run, not the schedule or start-up. */
    private void startScheduled() {
        try {
            start();
        } catch (RuntimeException e) {
            log.warn("Could not start the scheduled full catalog sync: {}", e.getMessage());
        }
    }

    /** Starts a full sync in the background, unless one runs already here or on another instance. */
    public Start start() {
        if (!running.compareAndSet(false, true)) {
            return Start.RUNNING_HERE;
        }
        if (!takeLease()) {
            return Start.RUNNING_ELSEWHERE;
        }
        Progress started = new Progress();
        progress = started;
        try {
            runner.execute(() -> {
                try {
                    run(started);
                    finished(started.status(started.failed.get() == 0 ? "SUCCEEDED" : "FAILED", clock.instant(),
                            started.failed.get() == 0 ? null : started.failed.get() + " repositories could not be synced; see the log."));
                } catch (RuntimeException e) {
                    log.warn("Full catalog sync failed: {}", e.getMessage());
                    finished(started.status("FAILED", clock.instant(), e.getMessage()));
                } finally {
                    letGo();
                }
            });
        } catch (RejectedExecutionException e) {
            letGo();
            throw e;
        }
        return Start.STARTED;
    }

    /** Runs a full sync on the caller's thread and returns how it went (tests and benchmarks). */
    public SyncStatus runNow() {
        while (!running.compareAndSet(false, true)) {
            Thread.onSpinWait();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (!takeLease()) {
            return last.get();
        }
        Progress started = new Progress();
        progress = started;
        try {
            run(started);
            finished(started.status(started.failed.get() == 0 ? "SUCCEEDED" : "FAILED", clock.instant(), null));
        } catch (RuntimeException e) {
            finished(started.status("FAILED", clock.instant(), e.getMessage()));
        } finally {
            letGo();
        }
        return last.get();
    }

    /**
     * With {@link #running} set: takes the database lease and keeps renewing it, or - when another
     * instance holds it - records the skipped run and clears {@link #running}.
     */
    private boolean takeLease() {
        boolean taken;
        try {
            taken = lease.tryAcquire();
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        if (!taken) {
            try {
                skipped();
            } finally {
                running.set(false);
            }
            return false;
        }
        try {
            Duration every = lease.renewalInterval();
            renewal = scheduler.scheduleAtFixedRate(this::renewLease, scheduler.getClock().instant().plus(every), every);
        } catch (RuntimeException e) {
            letGo();
            throw e;
        }
        return true;
    }

    private void skipped() {
        String message = lease.current()
                .map(holder -> "Another Berth instance (" + holder.name() + ") is running a full sync; its lease runs until "
                        + holder.until() + ". This instance skipped its own.")
                .orElse("Another Berth instance is running a full sync. This instance skipped its own.");
        log.info(message);
        last.set(new SyncStatus("SKIPPED", null, clock.instant(), 0, 0, 0, 0, 0, 0, 0, 0, message));
        metrics.fullSyncSkipped();
    }

    private void renewLease() {
        try {
            if (!lease.renew()) {
                // It expired (a stalled JVM, an unreachable database) and another instance took it: both sync now, which is
                // duplicated work but harmless, since every write is per repository and checks what it observed when.
                log.warn("This instance lost the full-sync lease to another one while syncing; the sync goes on.");
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew the full-sync lease: {}", e.getMessage());
        }
    }

    /** Ends a run: stops renewing, gives the lease back (an unreachable database lets it expire instead) and clears {@link #running}. */
    private void letGo() {
        ScheduledFuture<?> renewing = renewal;
        if (renewing != null) {
            renewing.cancel(false);
        }
        renewal = null;
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.warn("Could not release the full-sync lease; it expires by itself: {}", e.getMessage());
        } finally {
            progress = null;
            running.set(false);
        }
    }

    private void finished(SyncStatus status) {
        last.set(status);
        metrics.fullSyncFinished(status);
    }

    public SyncStatus status() {
        Progress current = progress;
        return current != null ? current.status("RUNNING", null, null) : last.get();
    }

    private void run(Progress progress) {
        List<String> repositories = registry.repositories();
        progress.total.set(repositories.size());
        registry.prepareTokens(repositories);
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(repositories);
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < Math.max(1, settings.parallelism()); i++) {
                workers.add(pool.submit(() -> {
                    for (String repository = queue.poll(); repository != null; repository = queue.poll()) {
                        try {
                            syncRepositoryRetryingConflicts(repository, progress);
                        } catch (RuntimeException e) {
                            progress.failed.incrementAndGet();
                            log.warn("Could not sync repository {}: {}", repository, e.getMessage());
                        }
                        progress.done.incrementAndGet();
                    }
                }));
            }
        }
        store.removeRepositoriesExcept(Set.copyOf(repositories), progress.startedAt);
        store.removeUnreferencedManifests();
    }

    /**
     * Another writer (a worker syncing a repository that shares a manifest, an event, another
     * instance) may store a manifest this repository is about to insert: the transaction fails on
     * the digest's key (or, on PostgreSQL, as a detected deadlock), and the repository is read again
     * from scratch - the next pass finds that manifest stored and skips it.
     */
    private void syncRepositoryRetryingConflicts(String repository, Progress progress) {
        for (int attempt = 1; ; attempt++) {
            try {
                syncRepository(repository, progress);
                return;
            } catch (DataIntegrityViolationException | ConcurrencyFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
                log.debug("Repository {} met another writer (attempt {}), reading it again: {}", repository, attempt, e.getMessage());
            }
        }
    }

    /**
     * One repository: list its tags, learn what each points at, read the manifests not catalogued
     * yet (all registry requests in parallel, bounded by the client), then write everything in one
     * transaction - the database sees one write per repository, not one per tag.
     */
    private void syncRepository(String repository, Progress progress) {
        Instant listedAt = clock.instant();
        List<String> tags = registry.tags(repository).orElse(List.of());
        Map<String, String> catalogued = store.tagDigests(repository);
        List<Observed> observed = parallel(tags, tag -> catalogued.containsKey(tag)
                ? checkOne(repository, tag, catalogued.get(tag)) : fetchOne(repository, tag));
        progress.fetched.addAndGet(observed.stream().filter(o -> o.manifest() != null).count());

        Map<String, RegistryClient.@Nullable FetchedManifest> digests = new LinkedHashMap<>();
        for (Observed tag : observed) {
            if (tag.manifest() != null || !digests.containsKey(tag.digest())) {
                digests.put(tag.digest(), tag.manifest());
            }
        }
        // A digest a catalogued tag points at is stored (a manifest leaves only once no tag points at it): ask the database
        // only about the others, which for an unchanged repository is none. Should it vanish meanwhile, the snapshot skips it.
        Set<String> known = new HashSet<>();
        List<String> toAsk = new ArrayList<>();
        Set<String> cataloguedDigests = Set.copyOf(catalogued.values());
        for (String digest : digests.keySet()) {
            if (cataloguedDigests.contains(digest)) {
                known.add(digest);
            } else {
                toAsk.add(digest);
            }
        }
        if (!toAsk.isEmpty()) {
            known.addAll(store.knownManifests(toAsk));
        }
        List<String> unknown = digests.keySet().stream().filter(d -> !known.contains(d)).toList();
        List<ManifestImport.Imported> imported = parallel(unknown,
                digest -> manifests.read(repository, digest, digests.get(digest), progress.fetched));
        Set<String> usable = new HashSet<>(known);
        List<ManifestEntry> newManifests = new ArrayList<>();
        for (ManifestImport.Imported manifest : imported) {
            if (!manifest.placeholder()) {
                usable.add(manifest.manifest().digest());
                newManifests.addAll(manifest.entries());
            }
        }
        // A tag whose manifest vanished meanwhile, or that is parked on a deletion placeholder, is as good as gone.
        List<CatalogStore.ObservedTag> kept = observed.stream()
                .filter(o -> usable.contains(o.digest()))
                .map(o -> new CatalogStore.ObservedTag(o.tag(), o.digest(), o.observedAt()))
                .toList();
        locks.inside(repository, () -> store.applySnapshot(repository, newManifests, kept, listedAt));
        progress.tags.addAndGet(tags.size());
    }

    /** What the registry said a tag points at, with the manifest's bytes when it sent them. */
    private record Observed(String tag, String digest, Instant observedAt, RegistryClient.@Nullable FetchedManifest manifest) {
    }

    /**
     * A tag the catalog already has costs a conditional GET that answers 304 when the tag has not
     * moved; a tag it does not have is fetched whole at once (GET by tag), since its manifest would
     * be needed anyway unless another tag shares it - one request instead of two.
     */
    private Optional<Observed> checkOne(String repository, String tag, String knownDigest) {
        Instant observedAt = clock.instant();
        return registry.tagUnlessAt(repository, tag, knownDigest)
                .map(now -> new Observed(tag, now.digest(), observedAt, now.manifest()));
    }

    private Optional<Observed> fetchOne(String repository, String tag) {
        Instant observedAt = clock.instant();
        return registry.manifest(repository, tag).map(manifest -> new Observed(tag, manifest.digest(), observedAt, manifest));
    }

    /** Runs {@code work} for every item at once on virtual threads (the client bounds the requests in flight); keeps the present results. */
    private static <T, R> List<R> parallel(List<T> items, Function<T, Optional<R>> work) {
        List<Future<Optional<R>>> running = new ArrayList<>(items.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                running.add(pool.submit(() -> work.apply(item)));
            }
        }
        List<R> results = new ArrayList<>(items.size());
        for (Future<Optional<R>> result : running) {
            try {
                result.get().ifPresent(results::add);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return results;
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
