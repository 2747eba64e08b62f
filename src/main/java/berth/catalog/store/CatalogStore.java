package berth.catalog.store;

import berth.catalog.sync.PullCounts;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every write to the catalog, each in one transaction. A write carries the instant the registry
 * was observed to say what it says; a tag already holding a newer observation is left alone, so a
 * full sync that read a tag before a push cannot undo what the push event wrote after it.
 */
@Repository // translates the database's exceptions, so a duplicate key arrives as DataIntegrityViolationException
@Transactional
public class CatalogStore {

    private final CatalogTables tables;
    private final EntityManager entities;

    CatalogStore(CatalogTables tables, EntityManager entities) {
        this.tables = tables;
        this.entities = entities;
    }

    /** What the registry said a tag points at, and when it said so. */
    public record ObservedTag(String name, Digest digest, Instant observedAt) {
    }

    /**
     * Points a tag at a stored manifest. A push event also moves "pushed at" forward when the same
     * digest is pushed again.
     */
    public void recordTag(RepositoryName repository, String tag, Digest digest, Instant pushedAt, Instant observedAt, boolean pushed) {
        ManifestEntry manifest = tables.manifests().findById(digest).orElseThrow(() ->
                new IllegalStateException("manifest " + digest + " must be stored before a tag points at it"));
        RepositoryEntry repo = repositoryNamed(repository, observedAt);
        Optional<TagEntry> existing = tables.tags().findByRepositoryIdAndName(repo.id(), tag);
        if (existing.isEmpty()) {
            tables.tags().save(new TagEntry(repo.id(), tag, manifest, pushedAt, observedAt));
        } else {
            TagEntry entry = existing.get();
            if (entry.observedAt().isAfter(observedAt)) {
                return;
            }
            if (entry.digest().equals(digest)) {
                entry.confirm(observedAt);
                if (pushed) {
                    entry.pushedAgain(pushedAt);
                }
            } else {
                entry.pointAt(manifest, pushedAt, observedAt);
            }
        }
        recount(repo);
    }

    /**
     * Records that {@code repository} holds the stored manifest {@code digest}, pushed by digest and
     * attached to {@code subject} (a signature, an SBOM). Recording it twice changes nothing.
     */
    public void recordReferrer(RepositoryName repository, Digest digest, Digest subject, Instant pushedAt) {
        if (tables.referrers().findByRepositoryAndDigest(repository, digest).isEmpty()) {
            tables.referrers().save(new ReferrerEntry(repository, digest, subject, pushedAt));
        }
    }

    /** Forgets an attached artifact deleted from {@code repository}; whether it was recorded or not. */
    public void removeReferrer(RepositoryName repository, Digest digest) {
        tables.referrers().deleteNow(repository, digest);
    }

    /** Removes a tag the registry no longer has, unless a newer observation put it back. */
    public void removeTag(RepositoryName repository, String tag, Instant observedAt) {
        Optional<RepositoryEntry> repo = tables.repositories().findByName(repository);
        if (repo.isEmpty()) {
            return;
        }
        Optional<TagEntry> entry = tables.tags().findByRepositoryIdAndName(repo.get().id(), tag);
        if (entry.isPresent() && !entry.get().observedAt().isAfter(observedAt)) {
            tables.tags().delete(entry.get());
            tables.tags().flush();
            recount(repo.get());
        }
    }

    /**
     * Makes a repository's tags what a full sync saw, in one transaction: stores the manifests it
     * read that are new ({@code newManifests}), then makes the tags those the registry listed
     * ({@code observed}, with what each pointed at), listed at {@code listedAt}.
     */
    public void applySnapshot(RepositoryName repository, Collection<ManifestEntry> newManifests, Collection<ObservedTag> observed, Instant listedAt) {
        insertUnknown(newManifests);
        Optional<RepositoryEntry> found = tables.repositories().findByName(repository);
        if (found.isEmpty() && observed.isEmpty()) {
            return;
        }
        RepositoryEntry repo = found.orElseGet(() -> repositoryNamed(repository, listedAt));
        Map<String, TagEntry> existing = new HashMap<>();
        for (TagEntry entry : tables.tags().findByRepositoryId(repo.id())) {
            existing.put(entry.name(), entry);
        }
        // A tag still on its catalogued digest only needs confirming. Tags that are new or moved need
        // their manifest's figures: the manifests this sync just read are at hand, the rest are looked up.
        Map<Digest, ManifestEntry> byDigest = new HashMap<>();
        newManifests.forEach(m -> byDigest.put(m.digest(), m));
        List<Digest> digests = observed.stream()
                .filter(tag -> !onSameDigest(existing.get(tag.name()), tag))
                .map(ObservedTag::digest).distinct().filter(d -> !byDigest.containsKey(d)).toList();
        for (int from = 0; from < digests.size(); from += 1000) {
            tables.manifests().findAllById(digests.subList(from, Math.min(digests.size(), from + 1000)))
                    .forEach(m -> byDigest.put(m.digest(), m));
        }
        for (ObservedTag tag : observed) {
            TagEntry entry = existing.get(tag.name());
            if (onSameDigest(entry, tag)) {
                existing.remove(tag.name());
                entry.confirm(tag.observedAt());
                continue;
            }
            ManifestEntry manifest = byDigest.get(tag.digest());
            if (manifest == null) {
                continue;
            }
            existing.remove(tag.name());
            if (entry == null) {
                tables.tags().save(new TagEntry(repo.id(), tag.name(), manifest, tag.observedAt(), tag.observedAt()));
            } else if (!entry.observedAt().isAfter(tag.observedAt())) {
                entry.pointAt(manifest, tag.observedAt(), tag.observedAt());
            }
        }
        for (TagEntry gone : existing.values()) {
            if (gone.observedAt().isBefore(listedAt)) {
                tables.tags().delete(gone);
            }
        }
        tables.tags().flush();
        // Even when nothing moved: a full sync also puts right figures that drifted.
        recount(repo);
    }

    private static boolean onSameDigest(@Nullable TagEntry entry, ObservedTag tag) {
        return entry != null && entry.digest().equals(tag.digest());
    }

    /** Adds pulls to the tags' counts and moves their last pull forward; tags the catalog does not have are skipped. */
    public void pulled(Collection<PullCounts.TagPulls> pulls) {
        Map<RepositoryName, Optional<RepositoryEntry>> byName = new HashMap<>();
        for (PullCounts.TagPulls pull : pulls) {
            byName.computeIfAbsent(pull.key().repository(), tables.repositories()::findByName)
                    .ifPresent(repo -> tables.tags().pulled(repo.id(), pull.key().tag(), pull.count(), pull.latest()));
        }
    }

    /** Removes a repository and its tags from the catalog. */
    public void removeRepository(RepositoryName repository) {
        tables.repositories().findByName(repository).ifPresent(this::drop);
    }

    /**
     * Removes every repository not in {@code listed} that no event touched since {@code since};
     * returns how many went.
     */
    public int removeRepositoriesExcept(Collection<RepositoryName> listed, Instant since) {
        java.util.Set<RepositoryName> keep = java.util.Set.copyOf(listed);
        int removed = 0;
        // Compared here rather than with NOT IN: PostgreSQL takes at most 32,767 parameters.
        for (RepositoryName name : allNames()) {
            if (!keep.contains(name)) {
                Optional<RepositoryEntry> repo = tables.repositories().findByName(name);
                if (repo.isPresent() && repo.get().lastPushAt().isBefore(since)) {
                    drop(repo.get());
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Drops manifests nothing points at any more, and returns how many. */
    public int removeUnreferencedManifests() {
        int total = 0;
        // An index dropped in one round frees its children for the next.
        for (int round = 0; round < 3; round++) {
            int removed = tables.manifests().deleteUnreferenced();
            total += removed;
            if (removed == 0) {
                break;
            }
        }
        return total;
    }

    /**
     * Asked of the entity manager, not a repository method: Spring Data reads a record return type
     * as a projection to construct, and the kernel's records are values the query already returns.
     */
    private List<RepositoryName> allNames() {
        return entities.createQuery("select r.name from RepositoryEntry r", RepositoryName.class).getResultList();
    }

    private void drop(RepositoryEntry repo) {
        tables.tags().deleteByRepositoryIdNow(repo.id());
        tables.repositories().deleteByIdNow(repo.id());
    }

    private RepositoryEntry repositoryNamed(RepositoryName repository, Instant now) {
        return tables.repositories().findByName(repository)
                .orElseGet(() -> tables.repositories().saveAndFlush(new RepositoryEntry(repository, now)));
    }

    /** Keeps the repository row's counts true; a repository left without tags leaves the catalog. */
    private void recount(RepositoryEntry repo) {
        Object[] countAndPush = tables.tags().countAndNewestPush(repo.id()).getFirst();
        long count = ((Number) countAndPush[0]).longValue();
        if (count == 0) {
            drop(repo);
            return;
        }
        repo.recount((int) count, tables.tags().distinctSize(repo.id()), (Instant) countAndPush[1]);
    }

    /**
     * Stores manifests not stored yet, in their own transaction. Two writers may race to insert
     * the same new digest: the loser gets a {@link DataIntegrityViolationException} and, seeing it
     * stored, carries on.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public void saveManifests(Collection<ManifestEntry> entries) {
        insertUnknown(entries);
    }

    /** Inserts (persist, not merge: no SELECT per row) the manifests the database does not hold yet. */
    private void insertUnknown(Collection<ManifestEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        java.util.Set<Digest> known = knownManifests(entries.stream().map(ManifestEntry::digest).toList());
        // In digest order: two writers inserting overlapping sets then wait for each other in one order, and
        // the second gets a duplicate key to retry on, never a deadlock.
        List<ManifestEntry> ordered = entries.stream().sorted(java.util.Comparator.comparing(m -> m.digest().toString())).toList();
        for (ManifestEntry entry : ordered) {
            if (known.add(entry.digest())) {
                entities.persist(entry);
            }
        }
        entities.flush();
    }

    /** The subject of a stored manifest; empty when it has none or is not stored. */
    @Transactional(readOnly = true)
    public Optional<Digest> subjectOf(Digest digest) {
        return tables.manifests().findById(digest).map(ManifestEntry::subjectDigest);
    }

    @Transactional(readOnly = true)
    public boolean hasManifest(Digest digest) {
        return tables.manifests().existsById(digest);
    }

    @Transactional(readOnly = true)
    public java.util.Set<Digest> knownManifests(Collection<Digest> digests) {
        java.util.Set<Digest> known = new java.util.HashSet<>();
        List<Digest> all = List.copyOf(digests);
        for (int from = 0; from < all.size(); from += 1000) {
            known.addAll(entities.createQuery("select m.digest from ManifestEntry m where m.digest in :digests", Digest.class)
                    .setParameter("digests", all.subList(from, Math.min(all.size(), from + 1000))).getResultList());
        }
        return known;
    }

    @Transactional(readOnly = true)
    public List<String> tagsOn(RepositoryName repository, Digest digest) {
        return tables.repositories().findByName(repository)
                .map(repo -> tables.tags().findByRepositoryIdAndDigest(repo.id(), digest).stream().map(TagEntry::name).toList())
                .orElse(List.of());
    }

    @Transactional(readOnly = true)
    public boolean hasTag(RepositoryName repository, String tag) {
        return tables.repositories().findByName(repository).flatMap(repo -> tables.tags().findByRepositoryIdAndName(repo.id(), tag)).isPresent();
    }

    @Transactional(readOnly = true)
    public boolean hasRepository(RepositoryName repository) {
        return tables.repositories().findByName(repository).isPresent();
    }

    /** The tags the catalog has for a repository, and their digests. */
    @Transactional(readOnly = true)
    public Map<String, Digest> tagDigests(RepositoryName repository) {
        Map<String, Digest> digests = new HashMap<>();
        for (Object[] row : tables.tags().namesAndDigests(repository)) {
            digests.put((String) row[0], (Digest) row[1]);
        }
        return digests;
    }
}
