package berth.audit;

import berth.auth.AuthEvent;
import berth.auth.ProjectAccess;
import berth.base.AuditedChange;
import berth.catalog.TagDeletion;
import berth.oci.RegistryEvent;
import berth.oci.RegistryEventBatch;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the audit log from what the other modules publish; none of them knows it exists.
 *
 * <ul>
 * <li>Registry changes (push, deletes) come from Spring Modulith's event publication registry: stored
 *     before the client got its 201, handed over again after a crash, recorded once per event id.</li>
 * <li>Access changes ({@link AuthEvent}) and other modules' changes ({@link AuditedChange}: policies, quotas, the
 *     registry's refusals of pushes and deletes an immutable-tag rule stopped) are written in the transaction that makes
 *     the change or publishes the refusal.</li>
 * <li>Deletions through the console or REST API come as {@link TagDeletion.Deleted} with the person
 *     who asked; the registry's own events of those deletions carry the catalog's subject and are
 *     not recorded twice.</li>
 * <li>Pulls are counted in memory and added every {@code berth.audit.pull-flush-interval} to one
 *     record per tag, account and hour; a crash loses at most that interval's counts.</li>
 * </ul>
 */
@Component
class AuditLog {

    static final String SUCCESS = "SUCCESS";
    static final String FAILURE = "FAILURE";
    static final String DENIED = "DENIED";
    static final String SYSTEM = "system";
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditRecordRepository records;
    private final TransactionTemplate transactions;
    private final Map<PullKey, LongAdder> pulls = new ConcurrentHashMap<>();

    AuditLog(AuditRecordRepository records, TransactionTemplate transactions) {
        this.records = records;
        this.transactions = transactions;
    }

    private record PullKey(Instant hour, String actor, @Nullable String address, String repository, @Nullable String tag,
                           @Nullable String digest) {
    }

    // Only manifest pushes and deletions are recorded: blob pushes and mounts are not handed over at all.
    @ApplicationModuleListener(id = "berth.audit.registry-events",
            condition = "#event.action() == T(berth.oci.RegistryEvent$Action).DELETE"
                    + " || (#event.action() == T(berth.oci.RegistryEvent$Action).PUSH && #event.isManifest())")
    void onRegistryChange(RegistryEvent event) {
        record(event).filter(r -> !records.existsByEventId(event.id())).ifPresent(records::save);
    }

    /**
     * A bulk change (garbage collection's removal of untagged manifests): each event recorded as if it came alone, with one
     * query for those recorded already (a batch handed over again) and one save of the rest.
     */
    @ApplicationModuleListener(id = "berth.audit.registry-event-batches")
    void onRegistryChanges(RegistryEventBatch batch) {
        java.util.Set<String> recorded = new java.util.HashSet<>(
                records.findRecordedEventIds(batch.events().stream().map(RegistryEvent::id).toList()));
        records.saveAll(batch.events().stream().filter(event -> !recorded.contains(event.id()))
                .flatMap(event -> record(event).stream()).toList());
    }

    /** The record of a registry change: manifest pushes and deletions, except the catalog's own (recorded with the person who asked). */
    private java.util.Optional<AuditRecord> record(RegistryEvent event) {
        RegistryEvent.Target target = event.target();
        AuditAction action = switch (event.action()) {
            case PUSH -> event.isManifest() ? AuditAction.PUSH : null;
            case DELETE -> target.tag() != null ? AuditAction.DELETE_TAG : AuditAction.DELETE_MANIFEST;
            case MOUNT, PULL -> null;
        };
        if (action == null || ProjectAccess.CATALOG_READER.equals(event.actorName())) {
            return java.util.Optional.empty();
        }
        String actor = actorOf(event.actorName());
        return java.util.Optional.of(new AuditRecord(event.timestamp(), actor, event.requestAddress(), SYSTEM.equals(actor) ? SYSTEM : "registry",
                action, ProjectAccess.projectOf(target.repository()), target.repository(), target.tag(), target.digest(), SUCCESS, null, 1,
                event.id()));
    }

    /** A deletion through the console or API, by the person who asked for it, in the deletion's transaction. */
    @EventListener
    @Transactional
    void onDeletion(TagDeletion.Deleted deletion) {
        records.save(new AuditRecord(deletion.at(), deletion.actor(), deletion.address(), deletion.via(),
                deletion.tag() == null ? AuditAction.DELETE_REPOSITORY : AuditAction.DELETE_TAG,
                ProjectAccess.projectOf(deletion.repository()), deletion.repository(), deletion.tag(), null,
                deletion.refused() ? DENIED : SUCCESS, deletion.reason(), 1, null));
    }

    @EventListener
    @Transactional
    void onAccessChange(AuthEvent event) {
        if (event.kind() == AuthEvent.Kind.LOGIN_FAILED) {
            // One record per name, address and hour, dated at its first failure.
            records.findCounter(AuditAction.LOGIN_FAILED, event.at(), event.actor(), event.address(), null, null, null)
                    .ifPresentOrElse(counter -> counter.add(1), () -> records.save(new AuditRecord(event.at(), event.actor(),
                            event.address(), event.via(), AuditAction.LOGIN_FAILED, null, null, null, null, FAILURE,
                            event.detail(), 1, null)));
            return;
        }
        AuditAction action = switch (event.kind()) {
            case PROJECT_CREATED -> AuditAction.PROJECT_CREATED;
            case MEMBER_CHANGED -> AuditAction.MEMBER_CHANGED;
            case APPKEY_CHANGED -> AuditAction.APPKEY_CHANGED;
            case LOGIN_FAILED -> throw new IllegalStateException("counted above");
        };
        records.save(new AuditRecord(event.at(), event.actor(), event.address(), event.via(), action, event.project(),
                null, null, null, SUCCESS, event.detail(), 1, null));
    }

    /**
     * A change another module audits ({@link AuditedChange}: quota, policy changes, refusals), in its transaction.
     * An action this log does not know is left out with a warning rather than undoing the change.
     */
    @EventListener
    @Transactional
    void onAuditedChange(AuditedChange change) {
        AuditAction action;
        try {
            action = AuditAction.valueOf(change.action());
        } catch (IllegalArgumentException e) {
            log.warn("An audited change of action {} is not an audit action; not recorded", change.action());
            return;
        }
        records.save(new AuditRecord(change.at(), actorOf(change.actor()), change.address(), change.via(), action, change.project(),
                change.repository(), change.tag(), change.digest(), change.refused() ? DENIED : SUCCESS, change.detail(), 1, null));
    }

    @EventListener(condition = "#event.action() == T(berth.oci.RegistryEvent$Action).PULL")
    void onPull(RegistryEvent event) {
        if (ProjectAccess.CATALOG_READER.equals(event.actorName()) || !event.isManifest()) {
            return;
        }
        RegistryEvent.Target target = event.target();
        // A pull by digest is counted under its digest; one by tag under its tag.
        pulls.computeIfAbsent(new PullKey(event.timestamp().truncatedTo(ChronoUnit.HOURS), actorOf(event.actorName()),
                event.requestAddress(), target.repository(), target.tag(), target.tag() == null ? target.digest() : null),
                key -> new LongAdder()).increment();
    }

    /**
     * Adds the pulls counted since the last flush to their hour's records. One flush at a time (the schedule's and the one at
     * shutdown), so two never create the same hour's record twice; a key whose write fails is counted again at the next.
     */
    @Scheduled(fixedDelayString = "${berth.audit.pull-flush-interval:30s}")
    synchronized void flushPulls() {
        Map<PullKey, Long> failed = new java.util.HashMap<>();
        for (PullKey key : pulls.keySet()) {
            LongAdder adder = pulls.remove(key);
            long count = adder == null ? 0 : adder.sumThenReset();
            if (count == 0) {
                continue;
            }
            // Before digests were part of the key, a second flush of one digest's pulls made a second record, and the flush after
            // that failed on two records where it expected one, losing its counts.
            try {
                transactions.executeWithoutResult(status -> records.findCounter(AuditAction.PULL, key.hour(), key.actor(),
                        key.address(), key.repository(), key.tag(), key.digest())
                        .ifPresentOrElse(counter -> counter.add(count), () -> records.save(new AuditRecord(key.hour(), key.actor(),
                                key.address(), "registry", AuditAction.PULL, ProjectAccess.projectOf(key.repository()),
                                key.repository(), key.tag(), key.digest(), SUCCESS, null, count, null))));
            } catch (RuntimeException e) {
                log.warn("Could not record {} pulls of {}; counted again at the next flush: {}", count, key.repository(), e.getMessage());
                failed.put(key, count);
            }
        }
        failed.forEach((key, count) -> pulls.computeIfAbsent(key, k -> new LongAdder()).add(count));
    }

    @jakarta.annotation.PreDestroy
    void flushOnShutdown() {
        flushPulls();
    }

    /** Berth's own jobs publish as {@code berth:<job>} (garbage collection, retention): in the log they are {@code system}. */
    private static String actorOf(@Nullable String subject) {
        return subject == null || subject.isEmpty() ? "anonymous" : subject.startsWith("berth:") ? SYSTEM : subject;
    }
}
