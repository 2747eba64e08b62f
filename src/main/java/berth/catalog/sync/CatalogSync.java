package berth.catalog.sync;

import berth.auth.ProjectAccess;
import berth.base.WorkLease;
import berth.catalog.CatalogSettings;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.oci.RepositoryName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Full sync: makes the catalog exactly what the registry holds. {@code _catalog} lists the
 * repositories, {@code tags/list} their tags, and one request per tag tells its digest: a GET
 * with {@code If-None-Match} of the catalogued digest (304 when the tag has not moved), or for a tag
 * the catalog has never seen a plain GET by tag. Only digests the catalog does not know yet cost a
 * config GET. Tags and repositories the registry no longer has leave the catalog. Runs on start,
 * on a schedule and on demand; one at a time, with its progress readable while it runs. When
 * several instances share a database, only the one holding the full-sync lease (a {@link WorkLease} row) syncs; the
 * others skip their run and say so.
 */
@Service
public class CatalogSync implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);
    /** The row in {@code work_lease}; the name is what instances of every version agree on. */
    private static final String LEASE = "catalog-full-sync";

    private final RegistryClient registry;
    private final RepositoryReconciler reconciler;
    private final CatalogStore store;
    private final CatalogSettings settings;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final WorkLease lease;
    private final CatalogMetrics metrics;
    private final ProjectAccess access;
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<SyncStatus> last = new AtomicReference<>(SyncStatus.never());
    private volatile @Nullable Progress progress;
    /** Completes when the latest run started here ends; set under this object's monitor, with {@link #running}. */
    private volatile CompletableFuture<SyncStatus> current = CompletableFuture.completedFuture(SyncStatus.never());

    CatalogSync(RegistryClient registry, RepositoryReconciler reconciler, CatalogStore store,
                CatalogSettings settings, TaskScheduler scheduler, Clock clock, JdbcTemplate jdbc, CatalogMetrics metrics,
                ProjectAccess access) {
        this.registry = registry;
        this.reconciler = reconciler;
        this.store = store;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lease = new WorkLease(jdbc, clock, LEASE, settings.syncLease());
        this.metrics = metrics;
        this.access = access;
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

    /** Where the last full sync of this instance stands. */
    public enum SyncState {
        NEVER_RAN, RUNNING, SUCCEEDED, FAILED,
        /** Another instance held the lease; this one left the run to it. */
        SKIPPED
    }

    /**
     * Where a full sync stands.
     *
     * @param state when SKIPPED, only finishedAt (when it was skipped) and message are set
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
    public record SyncStatus(SyncState state, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                             int repositoriesTotal, int repositoriesDone, long tags, long manifestsFetched,
                             long registryRequests, double seconds, double requestsPerSecond,
                             int failedRepositories, @Nullable String message) {

        static SyncStatus never() {
            return new SyncStatus(SyncState.NEVER_RAN, null, null, 0, 0, 0, 0, 0, 0, 0, 0, null);
        }

        public boolean running() {
            return state == SyncState.RUNNING;
        }

        /** Done share between 0 and 1. */
        public double fraction() {
            if (!running()) {
                return state == SyncState.SUCCEEDED ? 1 : 0;
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

        SyncStatus status(SyncState state, @Nullable Instant finishedAt, @Nullable String message) {
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

    /**
     * Starts a full sync in the background for a system administrator, unless one runs already here
     * or on another instance.
     */
    public Start start(String me) {
        access.requireSystemAdmin(me, "Only system administrators may run or watch a full sync.");
        return start();
    }

    /** Where the sync stands, for a system administrator. */
    public SyncStatus status(String me) {
        access.requireSystemAdmin(me, "Only system administrators may run or watch a full sync.");
        return status();
    }

    /** Starts a full sync in the background, unless one runs already here or on another instance. */
    private synchronized Start start() {
        if (!running.compareAndSet(false, true)) {
            return Start.RUNNING_HERE;
        }
        Optional<WorkLease.Renewal> held = takeLease();
        if (held.isEmpty()) {
            return Start.RUNNING_ELSEWHERE;
        }
        WorkLease.Renewal renewal = held.get();
        Progress started = new Progress();
        progress = started;
        CompletableFuture<SyncStatus> done = new CompletableFuture<>();
        current = done;
        try {
            runner.execute(() -> {
                try {
                    run(started);
                    int failed = started.failed.get();
                    finished(started.status(failed == 0 ? SyncState.SUCCEEDED : SyncState.FAILED, clock.instant(),
                            failed == 0 ? null : failed + " repositories could not be synced; see the log."));
                } catch (RuntimeException e) {
                    log.warn("Full catalog sync failed: {}", e.getMessage());
                    finished(started.status(SyncState.FAILED, clock.instant(), e.getMessage()));
                } finally {
                    letGo(renewal);
                    done.complete(last.get());
                }
            });
        } catch (RejectedExecutionException e) {
            letGo(renewal);
            done.complete(last.get());
            throw e;
        }
        return Start.STARTED;
    }

    /**
     * Runs a full sync and waits for it (tests and benchmarks, acting as the system): when one runs
     * here already, waits for it to end first, so that what is returned saw every change made before
     * the call; when another instance holds the lease, returns the skipped status at once.
     */
    public SyncStatus runNow() {
        while (true) {
            CompletableFuture<SyncStatus> run;
            Start outcome;
            synchronized (this) {
                outcome = start();
                run = current;
            }
            if (outcome == Start.RUNNING_ELSEWHERE) {
                return last.get();
            }
            SyncStatus status = run.join();
            if (outcome == Start.STARTED) {
                return status;
            }
        }
    }

    /**
     * With {@link #running} set: takes the database lease and keeps renewing it, or - when another
     * instance holds it - records the skipped run and clears {@link #running}.
     */
    private Optional<WorkLease.Renewal> takeLease() {
        Optional<WorkLease.Renewal> held;
        try {
            // Should the lease expire (a stalled JVM, an unreachable database) and another instance take it, both sync: duplicated
            // work but harmless, since every write is per repository and checks what it observed when.
            held = lease.acquire(scheduler, "full-sync",
                    () -> log.warn("This instance lost the full-sync lease to another one while syncing; the sync goes on."));
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        if (held.isEmpty()) {
            try {
                skipped();
            } finally {
                running.set(false);
            }
        }
        return held;
    }

    private void skipped() {
        String message = lease.current()
                .map(holder -> "Another Berth instance (" + holder.name() + ") is running a full sync; its lease runs until "
                        + holder.until() + ". This instance skipped its own.")
                .orElse("Another Berth instance is running a full sync. This instance skipped its own.");
        log.info(message);
        last.set(new SyncStatus(SyncState.SKIPPED, null, clock.instant(), 0, 0, 0, 0, 0, 0, 0, 0, message));
        metrics.fullSyncSkipped();
    }

    /** Ends a run: stops renewing, gives the lease back (an unreachable database lets it expire instead) and clears {@link #running}. */
    private void letGo(WorkLease.Renewal renewal) {
        try {
            renewal.end();
        } finally {
            progress = null;
            running.set(false);
        }
    }

    private void finished(SyncStatus status) {
        last.set(status);
        metrics.fullSyncFinished(status);
    }

    /** Where the sync stands (the job's own view; people ask through {@link #status(String)}). */
    public SyncStatus status() {
        Progress current = progress;
        return current != null ? current.status(SyncState.RUNNING, null, null) : last.get();
    }

    private void run(Progress progress) {
        List<RepositoryName> repositories = registry.repositories();
        progress.total.set(repositories.size());
        registry.prepareTokens(repositories);
        ConcurrentLinkedQueue<RepositoryName> queue = new ConcurrentLinkedQueue<>(repositories);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < Math.max(1, settings.parallelism()); i++) {
                pool.execute(() -> {
                    for (RepositoryName repository = queue.poll(); repository != null; repository = queue.poll()) {
                        try {
                            RepositoryReconciler.Outcome outcome = reconciler.reconcile(repository);
                            progress.tags.addAndGet(outcome.tags());
                            progress.fetched.addAndGet(outcome.fetched());
                        } catch (RuntimeException e) {
                            progress.failed.incrementAndGet();
                            log.warn("Could not sync repository {}: {}", repository, e.getMessage());
                        }
                        progress.done.incrementAndGet();
                    }
                });
            }
        }
        store.removeRepositoriesExcept(Set.copyOf(repositories), progress.startedAt);
        store.removeUnreferencedManifests();
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
