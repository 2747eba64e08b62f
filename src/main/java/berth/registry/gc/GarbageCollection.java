package berth.registry.gc;

import berth.auth.ProjectAccess;
import berth.base.BerthSettings;
import berth.base.ConflictException;
import berth.base.ForbiddenException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.base.WorkLease;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Service;

/**
 * Garbage collection as a service: runs on request (system administrators only, checked here, so
 * every caller - REST, console - is held to it) and on {@code berth.registry.gc.schedule}; one at a
 * time across instances by the {@code work_lease} row {@value #LEASE}, renewed while the run goes
 * on; a run that loses its lease stops. Runs execute on a thread of their own and are recorded in
 * {@link CollectionRuns}. In external mode CNCF Distribution owns the storage, and so its collection.
 */
@Service
public class GarbageCollection implements DisposableBean {

    static final String LEASE = "registry-gc";
    private static final Logger log = LoggerFactory.getLogger(GarbageCollection.class);
    private static final int LISTED_RUNS = 100;
    private static final Duration FINISHING = Duration.ofSeconds(5);
    private static final String EXTERNAL = "In external mode CNCF Distribution owns the storage, so its own collector reclaims it: "
            + "stop the registry (or make it read-only), run 'registry garbage-collect [--delete-untagged] /etc/docker/registry/config.yml', "
            + "then start it again.";

    private final GarbageCollector collector;
    private final CollectionRuns runs;
    private final GcSettings settings;
    private final boolean embedded;
    private final ProjectAccess access;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final WorkLease lease;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean leaseLost;
    private volatile boolean stopping;
    /** Set from recording a run's end until its lease is released: what {@link #awaitFinished} waits out. */
    private volatile boolean finishing;
    /** Completes when the latest run here has let go of its lease; replaced by each run that starts. */
    private volatile CompletableFuture<Void> released = CompletableFuture.completedFuture(null);

    GarbageCollection(GarbageCollector collector, CollectionRuns runs, GcSettings settings, BerthSettings berth, ProjectAccess access,
                      JdbcTemplate jdbc, TaskScheduler scheduler, Clock clock) {
        this.collector = collector;
        this.runs = runs;
        this.settings = settings;
        this.embedded = berth.registry().mode() == BerthSettings.RegistryMode.EMBEDDED;
        this.access = access;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lease = new WorkLease(jdbc, clock, LEASE, settings.lease());
    }

    /**
     * Starts a run now and returns its record (RUNNING, or already finished when it was quick).
     *
     * @param dryRun null: false
     * @param deleteUntagged null: {@code berth.registry.gc.delete-untagged}
     * @param grace null: {@code berth.registry.gc.grace}
     * @throws ConflictException when a run is going on here or another instance holds the lease
     */
    public GcRun start(String caller, @Nullable Boolean dryRun, @Nullable Boolean deleteUntagged, @Nullable Duration grace) {
        requireSystemAdmin(caller);
        if (!embedded) {
            throw new ConflictException(EXTERNAL);
        }
        if (grace != null && grace.isNegative()) {
            throw new InvalidRequestException("The grace period cannot be negative.");
        }
        var options = new GarbageCollector.Options(Boolean.TRUE.equals(dryRun),
                deleteUntagged != null ? deleteUntagged : settings.deleteUntagged(), grace != null ? grace : settings.grace());
        return begin(options, GcRun.Trigger.REQUEST).orElseThrow(() -> new ConflictException(busy()));
    }

    public GcRun run(String caller, long id) {
        requireSystemAdmin(caller);
        return runs.find(id).orElseThrow(() -> new NotFoundException("There is no garbage collection run " + id + "."));
    }

    /** The last hundred runs, newest first. */
    public List<GcRun> runs(String caller) {
        requireSystemAdmin(caller);
        return runs.newest(LISTED_RUNS);
    }

    /** When the schedule starts the next run; empty when there is no schedule (or external mode). */
    public Optional<Instant> nextScheduled(String caller) {
        requireSystemAdmin(caller);
        if (!embedded || !scheduled()) {
            return Optional.empty();
        }
        return Optional.ofNullable(CronExpression.parse(settings.schedule()).next(clock.instant().atZone(ZoneOffset.UTC)))
                .map(next -> next.toInstant());
    }

    /** Whether this Berth collects its storage itself (embedded mode); else {@link #externalProcedure()} applies. */
    public boolean collects() {
        return embedded;
    }

    public static String externalProcedure() {
        return EXTERNAL;
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        if (embedded && scheduled()) {
            scheduler.schedule(this::scheduledRun, new CronTrigger(settings.schedule(), ZoneOffset.UTC));
        }
    }

    private boolean scheduled() {
        return !settings.schedule().isBlank() && !"-".equals(settings.schedule());
    }

    private void scheduledRun() {
        var options = new GarbageCollector.Options(false, settings.deleteUntagged(), settings.grace());
        try {
            if (begin(options, GcRun.Trigger.SCHEDULE).isEmpty()) {
                String message = busy();
                log.info("Scheduled garbage collection skipped: {}", message);
                runs.insert(GcRun.State.SKIPPED, false, options.deleteUntagged(), GcRun.Trigger.SCHEDULE, lease.holder(), clock.instant(),
                        message);
            }
        } catch (RuntimeException e) {
            log.warn("Could not start the scheduled garbage collection: {}", e.getMessage());
        }
    }

    private Optional<GcRun> begin(GarbageCollector.Options options, GcRun.Trigger trigger) {
        if (!running.compareAndSet(false, true) && !(finishing && awaitFinished())) {
            return Optional.empty();
        }
        released = new CompletableFuture<>();
        leaseLost = false;
        Optional<WorkLease.Renewal> held;
        try {
            held = lease.acquire(scheduler, "garbage collection", () -> {
                leaseLost = true;
                log.warn("This instance lost the garbage collection lease to another one; its run stops.");
            });
        } catch (RuntimeException e) {
            letGo(null);
            throw e;
        }
        if (held.isEmpty()) {
            letGo(null);
            return Optional.empty();
        }
        WorkLease.Renewal renewal = held.get();
        try {
            Instant start = clock.instant();
            runs.failAbandoned(start);
            long id = runs.insert(GcRun.State.RUNNING, options.dryRun(), options.deleteUntagged(), trigger, lease.holder(), start, null);
            GcRun started = runs.find(id).orElseThrow();
            Thread.ofVirtual().name("registry-gc-" + id).start(() -> execute(id, options, start, renewal));
            return Optional.of(started);
        } catch (RuntimeException e) {
            letGo(renewal);
            throw e;
        }
    }

    /**
     * Waits (briefly) for the run whose end is recorded to let go of the lease, so a client that
     * saw it finished can start the next one at once; true once this caller has taken its place.
     */
    private boolean awaitFinished() {
        try {
            released.get(FINISHING.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return running.compareAndSet(false, true);
    }

    private void execute(long id, GarbageCollector.Options options, Instant start, WorkLease.Renewal renewal) {
        GarbageCollector.Tally tally = new GarbageCollector.Tally();
        GcRun.State state = GcRun.State.FAILED;
        String message;
        try {
            collector.collect(options, start, () -> !leaseLost && !stopping, tally);
            state = GcRun.State.SUCCEEDED;
            message = tally.firstError;
            log.info("Garbage collection {}{}: {} manifests, {} links, {} blobs ({} bytes){}", id, options.dryRun() ? " (dry run)" : "",
                    tally.manifests, tally.links, tally.blobs, tally.bytes, tally.errors > 0 ? ", " + tally.errors + " errors" : "");
        } catch (GarbageCollector.Stopped e) {
            message = leaseLost ? "This instance lost the lease to another one; the run stopped." : "Berth stopped during the run.";
        } catch (IOException | RuntimeException e) {
            message = "The run failed: " + e.getMessage();
            log.warn("Garbage collection {} failed", id, e);
        }
        finishing = true;
        try {
            runs.finish(id, state, tally, clock.instant(), message);
        } catch (RuntimeException e) {
            log.warn("Could not record the end of garbage collection {}: {}", id, e.getMessage());
        } finally {
            letGo(renewal);
        }
    }

    /** Ends this instance's run: gives the lease back ({@code renewal} null: it was never taken) and lets the next run start. */
    private void letGo(WorkLease.@Nullable Renewal renewal) {
        try {
            if (renewal != null) {
                renewal.end();
            }
        } finally {
            finishing = false;
            running.set(false);
            released.complete(null);
        }
    }

    private String busy() {
        return lease.current()
                .filter(holder -> !holder.name().equals(lease.holder()))
                .map(holder -> "Another Berth instance (" + holder.name() + ") is collecting garbage; its lease runs until " + holder.until() + ".")
                .orElse("A garbage collection is running; wait for it to finish.");
    }

    private void requireSystemAdmin(String caller) {
        if (!access.isSystemAdmin(caller)) {
            throw new ForbiddenException("Only system administrators may run or see garbage collection.");
        }
    }

    @Override
    public void destroy() {
        stopping = true;
    }
}
