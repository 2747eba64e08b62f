package berth.policy.retention;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import berth.base.ConflictException;
import berth.base.NotFoundException;
import berth.base.RequestOrigin;
import berth.base.WorkLease;
import berth.catalog.ProjectTags;
import berth.catalog.ProjectTags.TagFacts;
import berth.catalog.TagDeletion;
import berth.catalog.TagProtection;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.policy.PolicyChanged;
import berth.policy.RetentionCompleted;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.policy.retention.RetentionRun.Deletion;
import berth.registry.UntaggedManifests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A project's retention: its policy (members read it, ADMINs change it - checked here, so REST, console
 * and any later caller are held to it), a preview of what the policy does, and runs.
 *
 * <p>A run computes its list from the catalog ({@link RetentionPlan}), writes it down, and - unless it
 * is a dry run - deletes tag by tag through {@link TagDeletion}, the one-tag path a person's delete
 * takes (sibling tags survive, the catalog follows, immutable tags are refused), each deletion and its
 * mark in short transactions of their own. With {@code untagged: remove} on the embedded engine, the
 * untagged manifests of the repositories in the rules' scope follow, as {@link UntaggedManifests} lists
 * them once the run's tags are gone (the dry run) and removes them (the real run, after the tags). One
 * run per project at a time across instances, by the {@code work_lease} row {@code retention:<project>},
 * renewed while it runs. When an instance dies mid-run, its run stays RUNNING until the lease expires;
 * then a sweep (every minute) or the project's next run marks it FAILED, and the next run computes
 * afresh what is left to delete - the tags already deleted are gone from the catalog.
 */
@Service
public class Retention implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int LISTED_RUNS = 50;
    private static final int LISTED_ERRORS = 100;
    static final String EXTERNAL_UNTAGGED = "Untagged manifests were not removed: an external CNCF Distribution lists no untagged "
            + "manifests in its API, so Berth cannot find them. Distribution's own 'registry garbage-collect --delete-untagged' removes them.";

    private final RetentionPolicies policies;
    private final RetentionRuns runs;
    private final ProjectTags projectTags;
    private final TagDeletion deletion;
    private final ObjectProvider<TagProtection> protections;
    /** The embedded engine's; absent in external mode, where Distribution's API lists no untagged manifests. */
    private final ObjectProvider<UntaggedManifests> untaggedManifests;
    private final ProjectAccess access;
    private final JdbcTemplate jdbc;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;
    private final RetentionSettings settings;
    /** The projects with a run on this instance, each with what completes once that run has let go of the project. */
    private final Map<String, CompletableFuture<Void>> runningHere = new ConcurrentHashMap<>();
    private final Map<String, CronJob> schedules = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private record CronJob(String cron, ScheduledFuture<?> future) {
    }

    Retention(RetentionPolicies policies, RetentionRuns runs, ProjectTags projectTags, TagDeletion deletion,
              ObjectProvider<TagProtection> protections, ObjectProvider<UntaggedManifests> untaggedManifests, ProjectAccess access, JdbcTemplate jdbc, TaskScheduler scheduler, Clock clock,
              ApplicationEventPublisher publisher, RetentionSettings settings) {
        this.policies = policies;
        this.runs = runs;
        this.projectTags = projectTags;
        this.deletion = deletion;
        this.protections = protections;
        this.untaggedManifests = untaggedManifests;
        this.access = access;
        this.jdbc = jdbc;
        this.scheduler = scheduler;
        this.clock = clock;
        this.publisher = publisher;
        this.settings = settings;
    }

    /** What a policy would do now: in total, and rule by rule. */
    public record Preview(int kept, int deleted, int repositories, List<RuleEffect> rules) {
    }

    /** One rule on its own: the tags it selects and keeps, the rest of what it selects, in how many repositories. */
    public record RuleEffect(int kept, int deleted, int repositories) {
    }

    /** Whether {@code untagged: remove} removes anything here: only the embedded engine knows untagged manifests. */
    public boolean removesUntagged() {
        return untaggedManifests.getIfAvailable() != null;
    }

    /** The project's policy (no rules and nothing scheduled until an ADMIN writes one); members read it. */
    public RetentionPolicy policy(String me, String project) {
        access.require(me, project, Action.BROWSE);
        return policies.find(project).orElse(RetentionPolicy.NONE);
    }

    /** Replaces the project's policy, for an ADMIN; a bad field is refused naming it, and nothing changes. */
    @Transactional
    public RetentionPolicy setPolicy(String me, String project, @Nullable List<Rule> rules, @Nullable String untagged,
                                     @Nullable String schedule) {
        access.require(me, project, Action.ADMINISTER);
        RetentionPolicy policy = RetentionPolicy.checked(rules, untagged, schedule);
        policies.save(project, policy, me, clock.instant());
        RequestOrigin origin = RequestOrigin.current();
        publisher.publishEvent(new PolicyChanged(clock.instant(), me, origin.address(), origin.via(), project, describe(policy)));
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        schedule(project, policy.schedule());
                    }
                });
        return policy;
    }

    /** What {@code policy} (saved or not) would do to the project's tags now; for the console's live preview. */
    public Preview preview(String me, String project, List<Rule> rules) {
        access.require(me, project, Action.BROWSE);
        RetentionPolicy policy = RetentionPolicy.checked(rules, "keep", null);
        RetentionPlan plan = RetentionPlan.of(policy, projectTags.tags(me, project), clock.instant(), this::isProtected);
        List<RuleEffect> effects = plan.perRule().stream()
                .map(e -> new RuleEffect(e.retained(), e.selected() - e.retained(), e.repositories())).toList();
        int repositories = plan.byRepository().size();
        return new Preview(plan.kept(), plan.deletions().size(), repositories, effects);
    }

    /**
     * Starts a run of the project's policy now, for an ADMIN; returns it RUNNING (or already ended).
     *
     * @throws ConflictException when a run of the project is going on, here or on another instance
     */
    public RetentionRun start(String me, String project, boolean dryRun) {
        access.require(me, project, Action.ADMINISTER);
        Optional<RetentionRun> started = begin(project, dryRun, RetentionRun.Trigger.REQUEST, me);
        CompletableFuture<Void> ending = runningHere.get(project);
        if (started.isEmpty() && ending != null
                && runs.newest(project, 1).stream().noneMatch(run -> run.state() == RetentionRun.State.RUNNING)) {
            // The run here has recorded its end and is letting go of the project's lease: whoever saw it end and
            // starts the next one at once waits those few milliseconds rather than being told a run is going on.
            try {
                ending.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // still letting go: refused below, as any run going on is
            }
            started = begin(project, dryRun, RetentionRun.Trigger.REQUEST, me);
        }
        return started.orElseThrow(() -> new ConflictException("A retention run of project " + project + " is going on; wait for it to end."));
    }

    public RetentionRun run(String me, String project, long id) {
        access.require(me, project, Action.BROWSE);
        return runs.find(project, id).orElseThrow(() -> new NotFoundException("Project " + project + " has no retention run " + id + "."));
    }

    /** The project's last fifty runs, newest first, without their lists. */
    public List<RetentionRun> runs(String me, String project) {
        access.require(me, project, Action.BROWSE);
        return runs.newest(project, LISTED_RUNS);
    }

    private Optional<RetentionRun> begin(String project, boolean dryRun, RetentionRun.Trigger trigger, String actor) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        if (runningHere.putIfAbsent(project, ended) != null) {
            return Optional.empty();
        }
        WorkLease lease = lease(project);
        WorkLease.Renewal renewal = null;
        try {
            if (!lease.tryAcquire()) {
                letGo(project, ended);
                return Optional.empty();
            }
            runs.failAbandoned(project, clock.instant());
            long id = runs.start(project, dryRun, trigger, actor, clock.instant());
            java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
            renewal = lease.keepRenewed(scheduler, "retention of " + project, () -> lost.set(true));
            WorkLease.Renewal renewing = renewal;
            Thread.ofVirtual().name("retention-" + id).start(() -> {
                try {
                    execute(id, project, dryRun, actor, () -> lost.get() || stopping);
                } finally {
                    renewing.end();
                    letGo(project, ended);
                }
            });
            return runs.find(project, id);
        } catch (RuntimeException e) {
            if (renewal != null) {
                renewal.end();
            } else {
                lease.releaseQuietly("retention of " + project);
            }
            letGo(project, ended);
            throw e;
        }
    }

    private void letGo(String project, CompletableFuture<Void> ended) {
        runningHere.remove(project, ended);
        ended.complete(null);
    }

    private void execute(long id, String project, boolean dryRun, String actor, java.util.function.BooleanSupplier stop) {
        List<String> errors = new ArrayList<>();
        RetentionRun.State state = RetentionRun.State.FAILED;
        String message = null;
        int deleted = 0;
        int manifestsDeleted = 0;
        long bytes = 0;
        try {
            RetentionPolicy policy = policies.find(project).orElse(RetentionPolicy.NONE);
            List<TagFacts> tags = projectTags.tags(actor, project);
            RetentionPlan plan = RetentionPlan.of(policy, tags, clock.instant(), this::isProtected);
            bytes = plan.bytesFreeable(tags, projectTags.blobs(actor, project));
            UntaggedManifests engine = "remove".equals(policy.untagged()) ? untaggedManifests.getIfAvailable() : null;
            List<String> scope = List.of();
            if (engine != null) {
                List<String> repositories = new ArrayList<>(projectTags.repositories(actor, project));
                tags.forEach(t -> repositories.add(t.repository()));
                scope = RetentionPlan.scope(policy, repositories);
                plan = plan.withUntagged(untagged(engine, scope, plan));
            } else if ("remove".equals(policy.untagged())) {
                message = EXTERNAL_UNTAGGED;
            }
            runs.plan(id, plan, bytes);
            List<Deletion> list = plan.deletions();
            int tagCount = plan.tagDeletions();
            if (!dryRun) {
                for (int i = 0; i < tagCount; i++) {
                    checkGoingOn(stop);
                    Deletion tag = list.get(i);
                    try {
                        deletion.deleteTag(actor, new berth.oci.RepositoryName(tag.repository()), tag.tag());
                        runs.done(id, i);
                        deleted++;
                    } catch (RuntimeException e) {
                        // One tag that cannot go (made immutable meanwhile, the registry briefly away) does not stop the others.
                        if (errors.size() < LISTED_ERRORS) {
                            errors.add(tag.repository() + ":" + tag.tag() + ": " + e.getMessage());
                        }
                    }
                }
                if (engine != null) {
                    manifestsDeleted = removeUntagged(engine, id, scope, list, tagCount, actor, stop, errors);
                }
            } else {
                deleted = tagCount;
                manifestsDeleted = list.size() - tagCount;
            }
            state = RetentionRun.State.SUCCEEDED;
            log.info("Retention run {} of {}{}: {} tags and {} untagged manifests {}, {} bytes for garbage collection, {} errors", id, project,
                    dryRun ? " (dry run)" : "", deleted, manifestsDeleted, dryRun ? "to delete" : "deleted", bytes, errors.size());
        } catch (Interrupted e) {
            message = e.getMessage();
        } catch (RuntimeException e) {
            message = "The run failed: " + e.getMessage();
            log.warn("Retention run {} of {} failed", id, project, e);
        }
        try {
            RetentionCompleted completed = new RetentionCompleted(project, id, dryRun, state == RetentionRun.State.SUCCEEDED, deleted, manifestsDeleted, bytes,
                    actor, clock.instant());
            runs.finish(id, state, errors, message, clock.instant(), () -> publisher.publishEvent(completed));
        } catch (RuntimeException e) {
            log.warn("Could not record the end of retention run {} of {}: {}", id, project, e.getMessage());
        }
    }

    private void checkGoingOn(java.util.function.BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            throw new Interrupted(stopping ? "Berth stopped during the run; the next run recomputes what is left."
                    : "This instance lost the project's retention lease; the next run recomputes what is left.");
        }
    }

    /** The untagged manifests of the repositories in scope once the plan's tags are gone, as the engine lists them. */
    private static List<Deletion> untagged(UntaggedManifests engine, List<String> scope, RetentionPlan plan) {
        Map<String, Set<Tag>> gone = new java.util.HashMap<>();
        for (Deletion d : plan.deletions()) {
            if (d.tag() != null) {
                gone.computeIfAbsent(d.repository(), r -> new java.util.HashSet<>()).add(new Tag(d.tag()));
            }
        }
        List<Deletion> untagged = new ArrayList<>();
        for (String repository : scope) {
            try {
                for (UntaggedManifests.Untagged manifest : engine.untagged(new RepositoryName(repository), gone.getOrDefault(repository, Set.of()))) {
                    untagged.add(new Deletion(repository, null, manifest.digest().toString(), manifest.size()));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not read the manifests of " + repository + ": " + e.getMessage(), e);
            }
        }
        return untagged;
    }

    /**
     * Removes the untagged manifests of each repository in scope, after the tags; marks done the planned
     * entries that went and adds what went beyond the plan (idle since it was made). Returns how many went.
     */
    private int removeUntagged(UntaggedManifests engine, long id, List<String> scope, List<Deletion> list, int tagCount, String actor,
                               java.util.function.BooleanSupplier stop, List<String> errors) {
        Map<String, Integer> planned = new java.util.HashMap<>();
        for (int i = tagCount; i < list.size(); i++) {
            planned.put(list.get(i).repository() + "@" + list.get(i).digest(), i);
        }
        int next = list.size();
        int removed = 0;
        for (String repository : scope) {
            checkGoingOn(stop);
            try {
                UntaggedManifests.Removal removal = engine.remove(new RepositoryName(repository), actor);
                for (UntaggedManifests.Untagged manifest : removal.removed()) {
                    Integer position = planned.get(repository + "@" + manifest.digest());
                    if (position != null) {
                        runs.done(id, position);
                    } else {
                        runs.doneBeyondPlan(id, next++, new Deletion(repository, null, manifest.digest().toString(), manifest.size()));
                    }
                    removed++;
                }
                removal.failures().forEach(failure -> {
                    if (errors.size() < LISTED_ERRORS) {
                        errors.add(repository + ": " + failure);
                    }
                });
            } catch (java.io.IOException | RuntimeException e) {
                if (errors.size() < LISTED_ERRORS) {
                    errors.add(repository + ": untagged manifests: " + e.getMessage());
                }
            }
        }
        return removed;
    }

    private static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Marks FAILED every run left RUNNING by an instance that stopped: its project's lease expired (or is
     * gone), so nobody is running it. Without this it would stay RUNNING until the project's next run.
     * Runs of this instance are left to it: a renewal late by a moment is no death.
     */
    @org.springframework.scheduling.annotation.Scheduled(initialDelayString = "1m", fixedDelayString = "1m")
    void failAbandonedRuns() {
        for (RetentionRuns.Running run : runs.running()) {
            if (!runningHere.containsKey(run.project()) && runs.failIfUnleased(run.id(), lease(run.project()).name(), clock.instant())) {
                log.warn("Retention run {} of {} marked FAILED: the instance running it stopped (its lease expired)", run.id(), run.project());
            }
        }
    }

    private boolean isProtected(TagFacts tag) {
        return protections.orderedStream().anyMatch(p -> p.protecting(tag.repository(), tag.tag()).isPresent());
    }

    /** The project's lease; a long project name is hashed to fit the lease's 100 characters. */
    private WorkLease lease(String project) {
        String name = "retention:" + project;
        if (name.length() > 100) {
            name = "retention:" + berth.oci.Digest.sha256(project.getBytes(StandardCharsets.UTF_8)).toString().substring(7, 47);
        }
        return new WorkLease(jdbc, clock, name, settings.lease());
    }

    @EventListener(ApplicationReadyEvent.class)
    void scheduleAll() {
        refreshSchedules();
    }

    /** Picks up schedules another instance changed: each instance schedules every project, the lease lets one run. */
    @org.springframework.scheduling.annotation.Scheduled(initialDelayString = "1m", fixedDelayString = "1m")
    void refreshSchedules() {
        Map<String, String> wanted = policies.schedules();
        for (String project : Set.copyOf(schedules.keySet())) {
            if (!wanted.containsKey(project)) {
                schedule(project, null);
            }
        }
        wanted.forEach(this::schedule);
    }

    private synchronized void schedule(String project, @Nullable String cron) {
        CronJob current = schedules.get(project);
        if (current != null && current.cron().equals(cron)) {
            return;
        }
        if (current != null) {
            current.future().cancel(false);
            schedules.remove(project);
        }
        if (cron != null && !stopping) {
            ScheduledFuture<?> future = scheduler.schedule(() -> scheduledRun(project), new CronTrigger(cron, ZoneOffset.UTC));
            if (future != null) {
                schedules.put(project, new CronJob(cron, future));
            }
        }
    }

    private void scheduledRun(String project) {
        try {
            if (begin(project, false, RetentionRun.Trigger.SCHEDULE, ProjectAccess.SYSTEM).isEmpty()) {
                log.info("Scheduled retention run of {} skipped: a run of the project is going on", project);
            }
        } catch (RuntimeException e) {
            log.warn("Could not start the scheduled retention run of {}: {}", project, e.getMessage());
        }
    }

    private static String describe(RetentionPolicy policy) {
        String rules = policy.rules().stream()
                .map(r -> r.repositories() + " " + r.tagsInclude() + (r.tagsExclude().isEmpty() ? "" : " -" + r.tagsExclude()) + " "
                        + r.retain() + (r.retain().needsValue() ? " " + r.value() : ""))
                .collect(Collectors.joining("; "));
        return "retention: " + (rules.isEmpty() ? "no rules" : rules) + "; untagged " + policy.untagged() + "; schedule "
                + (policy.schedule() == null ? "none" : policy.schedule());
    }

    @Override
    public void destroy() {
        stopping = true;
        schedules.values().forEach(s -> s.future().cancel(false));
    }
}
