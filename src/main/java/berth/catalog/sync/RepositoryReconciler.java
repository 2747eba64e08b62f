package berth.catalog.sync;

import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.ManifestEntry;
import berth.catalog.store.RepositoryLocks;
import berth.oci.Digest;
import berth.oci.RepositoryName;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Makes the catalog's copy of one repository what the registry holds: its tags, what each points
 * at, and the manifests not catalogued yet. The full sync runs this for every repository.
 */
@Component
record RepositoryReconciler(RegistryClient registry, ManifestImport manifests, CatalogStore store, RepositoryLocks locks, Clock clock) {

    private static final Logger log = LoggerFactory.getLogger(RepositoryReconciler.class);

    /**
     * Another writer (a worker syncing a repository that shares a manifest, an event, another
     * instance) may store a manifest this repository is about to insert: the transaction fails on
     * the digest's key (or, on PostgreSQL, as a detected deadlock), and the repository is read again
     * from scratch - the next pass finds that manifest stored and skips it.
     */
    private static final RetryTemplate ON_CONFLICT = onConflict();

    private static RetryTemplate onConflict() {
        RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
                .includes(DataIntegrityViolationException.class, ConcurrencyFailureException.class)
                .maxRetries(2)
                .delay(Duration.ZERO)
                .build());
        retry.setRetryListener(new RetryListener() {
            @Override
            public void onRetryFailure(RetryPolicy policy, Retryable<?> retryable, Throwable failure) {
                log.debug("A repository met another writer, reading it again: {}", failure.getMessage());
            }
        });
        return retry;
    }

    /** What one reconciliation did: tags seen, manifests and configs fetched. */
    record Outcome(int tags, long fetched) {
    }

    Outcome reconcile(RepositoryName repository) {
        return ON_CONFLICT.invoke(() -> reconcileOnce(repository));
    }

    /**
     * List the tags, learn what each points at, read the manifests not catalogued yet (all registry
     * requests in parallel, bounded by the client), then write everything in one transaction - the
     * database sees one write per repository, not one per tag.
     */
    private Outcome reconcileOnce(RepositoryName repository) {
        AtomicLong fetched = new AtomicLong();
        Instant listedAt = clock.instant();
        List<String> tags = registry.tags(repository).orElse(List.of());
        Map<String, Digest> catalogued = store.tagDigests(repository);
        List<Observed> observed = parallel(tags, tag -> catalogued.containsKey(tag)
                ? checkOne(repository, tag, catalogued.get(tag)) : fetchOne(repository, tag));
        fetched.addAndGet(observed.stream().filter(o -> o.manifest() != null).count());

        Map<Digest, RegistryClient.@Nullable FetchedManifest> digests = new LinkedHashMap<>();
        for (Observed tag : observed) {
            if (tag.manifest() != null || !digests.containsKey(tag.digest())) {
                digests.put(tag.digest(), tag.manifest());
            }
        }
        // A digest a catalogued tag points at is stored (a manifest leaves only once no tag points at it): ask the database
        // only about the others, which for an unchanged repository is none. Should it vanish meanwhile, the snapshot skips it.
        Set<Digest> known = new HashSet<>();
        List<Digest> toAsk = new ArrayList<>();
        Set<Digest> cataloguedDigests = Set.copyOf(catalogued.values());
        for (Digest digest : digests.keySet()) {
            if (cataloguedDigests.contains(digest)) {
                known.add(digest);
            } else {
                toAsk.add(digest);
            }
        }
        if (!toAsk.isEmpty()) {
            known.addAll(store.knownManifests(toAsk));
        }
        List<Digest> unknown = digests.keySet().stream().filter(d -> !known.contains(d)).toList();
        List<ManifestImport.Imported> imported = parallel(unknown,
                digest -> manifests.read(repository, digest, digests.get(digest), fetched));
        Set<Digest> usable = new HashSet<>(known);
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
        return new Outcome(tags.size(), fetched.get());
    }

    /** What the registry said a tag points at, with the manifest's bytes when it sent them. */
    private record Observed(String tag, Digest digest, Instant observedAt, RegistryClient.@Nullable FetchedManifest manifest) {
    }

    /**
     * A tag the catalog already has costs a conditional GET that answers 304 when the tag has not
     * moved; a tag it does not have is fetched whole at once (GET by tag), since its manifest would
     * be needed anyway unless another tag shares it - one request instead of two.
     */
    private Optional<Observed> checkOne(RepositoryName repository, String tag, Digest knownDigest) {
        Instant observedAt = clock.instant();
        return registry.tagUnlessAt(repository, tag, knownDigest)
                .map(now -> new Observed(tag, now.digest(), observedAt, now.manifest()));
    }

    private Optional<Observed> fetchOne(RepositoryName repository, String tag) {
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
}
