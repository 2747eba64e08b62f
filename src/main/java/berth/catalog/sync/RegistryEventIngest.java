package berth.catalog.sync;

import berth.base.Caches;
import berth.catalog.CatalogSettings;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.RepositoryLocks;
import berth.oci.Digest;
import berth.oci.MediaTypes;
import berth.oci.RegistryEvent;
import berth.oci.RegistryEventBatch;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Incremental sync: turns each {@link RegistryEvent} - published in-process by the embedded engine,
 * or POSTed by an external Distribution - into a catalog change within milliseconds.
 *
 * <p>An event is a hint, not the truth: for a push or delete the catalog asks the registry what the
 * tag points at now and writes that, so events that arrive twice or out of order leave the catalog
 * as the registry is. Only an unknown digest costs reading a manifest. A manifest GET is a pull,
 * counted once per event id: by tag for that tag, by digest for the tags on that digest; a HEAD is
 * not, nor are the catalog's own reads (subject {@value RegistryClient#SUBJECT}).
 */
@Component
public class RegistryEventIngest implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RegistryEventIngest.class);
    /** Distribution links a pushed tag a little after it notifies: looked for again after 10, 20, 40, ... 320 ms. */
    private static final RetryTemplate UNTIL_LINKED = new RetryTemplate(RetryPolicy.builder()
            .includes(TagNotLinkedYet.class)
            .maxRetries(6)
            .delay(Duration.ofMillis(10))
            .multiplier(2)
            .build());

    private final RegistryClient registry;
    private final ManifestImport manifests;
    private final CatalogStore store;
    private final PullCounts pulls;
    private final RepositoryLocks locks;
    private final Clock clock;
    private final CatalogMetrics metrics;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Ids of events applied lately: Distribution may deliver one twice (a retried notification). */
    private final Cache<String, Boolean> recentIds;
    private final AtomicLong fetched = new AtomicLong();

    RegistryEventIngest(RegistryClient registry, ManifestImport manifests, CatalogStore store, PullCounts pulls,
                        RepositoryLocks locks, Clock clock, CatalogMetrics metrics, CatalogSettings settings, Caches caches) {
        this.recentIds = caches.build("berth.catalog.event-ids", Caffeine.newBuilder().maximumSize(settings.rememberedEvents()));
        this.registry = registry;
        this.manifests = manifests;
        this.store = store;
        this.pulls = pulls;
        this.locks = locks;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Pulls of the embedded engine, published in-process without a transaction: counted off the publisher's thread. */
    @EventListener(condition = "#event.action() == T(berth.oci.RegistryEvent$Action).PULL")
    void on(RegistryEvent event) {
        accept(event);
    }

    /**
     * Changes of the embedded engine (and of an external Distribution), from Spring Modulith's event
     * publication registry: applied on this thread, so the publication is complete only once the catalog
     * has it; one left incomplete by a crash or a failure is handed over again at start-up. No
     * transaction of the listener's own: the catalog's writes have theirs, and none is held open while
     * the registry is asked.
     */
    @ApplicationModuleListener(id = "berth.catalog.registry-events", propagation = Propagation.NOT_SUPPORTED,
            condition = "#event.action() != T(berth.oci.RegistryEvent$Action).PULL")
    void onChange(RegistryEvent event) {
        if (concernsCatalog(event) && firstTime(event.id())) {
            apply(event);
            metrics.eventApplied(event.action(), java.time.Duration.between(event.timestamp(), clock.instant()));
        }
    }

    /** A bulk change of the embedded engine (garbage collection), applied event by event as {@link #onChange} would. */
    @ApplicationModuleListener(id = "berth.catalog.registry-event-batches", propagation = Propagation.NOT_SUPPORTED)
    void onChanges(RegistryEventBatch batch) {
        batch.events().forEach(this::onChange);
    }

    /** Takes an event from either source; returns at once. */
    void accept(RegistryEvent event) {
        if (!concernsCatalog(event) || !firstTime(event.id())) {
            return;
        }
        long received = System.nanoTime();
        workers.execute(() -> {
            try {
                apply(event);
                java.time.Duration lag = java.time.Duration.between(event.timestamp(), clock.instant());
                metrics.eventApplied(event.action(), lag);
                if (log.isDebugEnabled()) {
                    log.debug("Applied {} of {}:{} ({} ms after its timestamp, {} ms after receipt)", event.action().wireName(),
                            event.target().repository(), event.target().tag(), lag.toMillis(),
                            (System.nanoTime() - received) / 1_000_000);
                }
            } catch (RuntimeException e) {
                // The next full sync repairs what an event could not; the event is not worth more.
                log.warn("Could not apply the registry's {} event for {}: {}", event.action().wireName(),
                        event.target().repository(), e.getMessage());
            }
        });
    }

    private static boolean concernsCatalog(RegistryEvent event) {
        if (event.action() == RegistryEvent.Action.PULL) {
            return event.isManifest() && !RegistryClient.SUBJECT.equals(event.actorName());
        }
        if (event.action() == RegistryEvent.Action.DELETE) {
            return event.target().tag() != null || event.target().digest() != null;
        }
        if (event.target().tag() != null) {
            return event.isManifest();
        }
        // A manifest pushed by digest only is a platform of an index (read with its index's tag) or an
        // artifact attached to an image (a signature, an SBOM), recorded by its subject. Only OCI
        // manifests and indexes carry a subject, so Docker's platform manifests cost no read.
        String mediaType = event.target().mediaType();
        return event.target().digest() != null && (MediaTypes.OCI_MANIFEST.equals(mediaType) || MediaTypes.OCI_INDEX.equals(mediaType));
    }

    private boolean firstTime(String id) {
        return recentIds.asMap().putIfAbsent(id, Boolean.TRUE) == null;
    }

    /** Applies one event now, on the caller's thread. */
    void apply(RegistryEvent event) {
        RegistryEvent.Target target = event.target();
        RepositoryName repository;
        @Nullable Digest named;
        try {
            repository = new RepositoryName(target.repository());
            named = target.digest() == null ? null : Digest.parse(target.digest());
        } catch (RegistryException e) {
            // The embedded engine names only what it accepted; an external registry may name something the catalog cannot hold.
            log.warn("Skipping the registry's {} event: {}", event.action().wireName(), e.getMessage());
            return;
        }
        switch (event.action()) {
            case PULL -> {
                if (target.tag() != null) {
                    pulls.add(repository, target.tag(), event.timestamp());
                } else if (named != null) {
                    // containerd (and so Kubernetes, nerdctl, BuildKit) resolves a tag with a HEAD and pulls by
                    // digest: the pull counts for the tags on that digest. An index's platform manifests, pulled
                    // by digest after it, carry no tag and count nothing.
                    for (String tag : store.tagsOn(repository, named)) {
                        pulls.add(repository, tag, event.timestamp());
                    }
                }
            }
            case PUSH, MOUNT -> {
                if (target.tag() == null && named != null) {
                    manifests.ensureAttached(repository, named, fetched)
                            .ifPresent(subject -> store.recordReferrer(repository, named, subject, event.timestamp()));
                } else {
                    reconcileTag(repository, target.tag(), named, event);
                }
            }
            case DELETE -> {
                if (target.tag() != null) {
                    reconcileTag(repository, target.tag(), named, event);
                } else if (named != null) {
                    store.removeReferrer(repository, named);
                    for (String tag : store.tagsOn(repository, named)) {
                        reconcileTag(repository, tag, named, event);
                    }
                }
            }
        }
    }

    /** Asks the registry what {@code tag} points at now and makes the catalog say the same; {@code named} is the event's digest. */
    void reconcileTag(RepositoryName repository, @Nullable String tag, @Nullable Digest named, RegistryEvent event) {
        if (tag == null) {
            return;
        }
        awaitPushedTag(repository, tag, named, event);
        locks.inside(repository, () -> {
            Instant observedAt = clock.instant();
            // When the catalog has the manifest the event names, a conditional GET is enough (304 if the tag
            // is there: no manifest read, no pull notification); otherwise the GET brings the manifest along.
            Digest held = named != null && store.hasManifest(named) ? named : null;
            Optional<RegistryClient.TagState> now = registry.tagUnlessAt(repository, tag, held);
            if (now.isEmpty()) {
                store.removeTag(repository, tag, observedAt);
                return;
            }
            Digest digest = now.get().digest();
            ManifestImport.Outcome outcome = manifests.ensure(repository, digest, now.get().manifest(), fetched);
            if (outcome != ManifestImport.Outcome.STORED) {
                store.removeTag(repository, tag, observedAt);
                return;
            }
            boolean pushedThis = event.action() == RegistryEvent.Action.PUSH && digest.equals(named);
            store.recordTag(repository, tag, digest, pushedThis ? event.timestamp() : observedAt, observedAt, pushedThis);
        });
    }

    /**
     * CNCF Distribution 2.8 queues the push notification when the manifest is stored and links the
     * tag to it only afterwards, so the notification can overtake the tag: the registry then still
     * says 404, or the tag's previous digest. For a push, wait (briefly, outside the repository's lock)
     * until the registry shows what the event says; if it never does, a later change overtook this
     * one and the registry's answer stands.
     */
    private void awaitPushedTag(RepositoryName repository, String tag, @Nullable Digest pushed, RegistryEvent event) {
        if (event.action() != RegistryEvent.Action.PUSH || pushed == null) {
            return;
        }
        try {
            UNTIL_LINKED.invoke(() -> {
                Optional<RegistryClient.TagState> now = registry.tagUnlessAt(repository, tag, pushed);
                if (now.isEmpty() || !now.get().digest().equals(pushed)) {
                    throw new TagNotLinkedYet();
                }
            });
        } catch (TagNotLinkedYet e) {
            // A later change overtook this one: what the registry says now stands.
        }
    }

    private static final class TagNotLinkedYet extends RuntimeException {
        TagNotLinkedYet() {
            super("the registry does not show the pushed digest under the tag yet", null, false, false);
        }
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
