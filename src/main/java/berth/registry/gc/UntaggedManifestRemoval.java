package berth.registry.gc;

import berth.oci.Descriptor;
import berth.oci.Digest;
import berth.oci.Manifest;
import berth.oci.RegistryEvent;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.registry.UntaggedManifests;
import berth.registry.content.BlobFence;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.usage.StorageUsage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * One repository's untagged manifests, found and removed as a garbage collection run with
 * {@code deleteUntagged} does it there ({@link GarbageCollector}: what it keeps, its write barrier,
 * its deletion of a revision and the tag history naming it), without the rest of the run: the blobs
 * they leave are the next run's. The cutoff is {@code now - berth.registry.gc.grace}, as a run's.
 *
 * <p>The listing takes no lock and spares what was touched since the cutoff, as a dry run does; the
 * removal reads the repository afresh, and the write barrier re-reads each digest's stamp under its
 * lock, so a manifest tagged again or pushed meanwhile stays.
 */
@Component
@ConditionalOnProperty(name = "berth.registry.mode", havingValue = "embedded", matchIfMissing = true)
record UntaggedManifestRemoval(GarbageCollector collector, StorageDriver driver, BlobFence fence, StorageUsage usage,
        GcSettings settings, Clock clock) implements UntaggedManifests {

    /** A repository as read from storage: its revisions (those whose bytes are readable) and its tags' digests. */
    private record Contents(Map<Digest, Manifest> revisions, Map<Tag, Digest> tags) {
    }

    @Override
    public List<Untagged> untagged(RepositoryName repository, Set<Tag> goneTags) throws IOException {
        Instant cutoff = clock.instant().minus(settings.grace());
        Contents contents = read(repository);
        Set<Digest> roots = new HashSet<>();
        contents.tags().forEach((tag, digest) -> {
            if (!goneTags.contains(tag)) {
                roots.add(digest);
            }
        });
        // What was touched since the cutoff stays, and so does what it references, as in a run where it is spared.
        roots.addAll(fence.touchedSince(cutoff, contents.revisions().keySet()));
        Set<Digest> kept = GarbageCollector.closure(roots, contents.revisions());
        List<Untagged> untagged = new ArrayList<>();
        for (Map.Entry<Digest, Manifest> revision : contents.revisions().entrySet()) {
            if (!kept.contains(revision.getKey())) {
                untagged.add(new Untagged(revision.getKey(), size(revision.getKey(), revision.getValue())));
            }
        }
        untagged.sort(Comparator.comparing(u -> u.digest().toString()));
        return untagged;
    }

    @Override
    public Removal remove(RepositoryName repository, String actor) throws IOException {
        // Read after the start, as a run's mark: a write the listing missed stamped its digests after the cutoff.
        Instant cutoff = clock.instant().minus(settings.grace());
        Contents contents = read(repository);
        Map<Digest, Manifest> revisions = contents.revisions();
        Set<Digest> kept = GarbageCollector.closure(new HashSet<>(contents.tags().values()), revisions);
        if (kept.containsAll(revisions.keySet())) {
            return new Removal(List.of(), List.of());
        }
        Map<Digest, List<Tag>> history = collector.tagHistory(repository, contents.tags().keySet());
        List<Untagged> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<Digest, Manifest> gone = new LinkedHashMap<>();
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            // Indexes first: one that must stay (touched since the cutoff) keeps its platform manifests before their turn.
            for (boolean indexes : new boolean[] {true, false}) {
                List<Digest> candidates = revisions.keySet().stream()
                        .filter(digest -> !kept.contains(digest) && revisions.get(digest).isIndex() == indexes)
                        .sorted(Comparator.comparing(Digest::toString)).toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                Map<Digest, Long> sizes = new LinkedHashMap<>();
                for (Digest digest : candidates) {
                    sizes.put(digest, size(digest, revisions.get(digest)));
                }
                BlobFence.Outcome outcome = fence.deleteIdle(candidates, cutoff, false, io,
                        digest -> collector.deleteRevision(repository, digest, history.getOrDefault(digest, List.of())));
                Set<Digest> deleted = Set.copyOf(outcome.deleted());
                for (Digest digest : candidates) {
                    if (deleted.contains(digest)) {
                        removed.add(new Untagged(digest, sizes.get(digest)));
                        gone.put(digest, revisions.get(digest));
                    } else {
                        kept.addAll(GarbageCollector.closure(Set.of(digest), revisions));
                    }
                }
                outcome.failed().forEach((digest, e) -> failures.add("could not remove manifest " + digest + ": " + e.getMessage()));
            }
        }
        usage.unlinked(gone.keySet().stream().map(digest -> new Object[] {repository.value(), digest.toString()}).toList());
        List<RegistryEvent> deletions = new ArrayList<>();
        gone.forEach((digest, manifest) -> deletions.add(collector.deletion(repository, digest, manifest, actor)));
        collector.announce(deletions);
        return new Removal(List.copyOf(removed), List.copyOf(failures));
    }

    private Contents read(RepositoryName repository) throws IOException {
        Map<Digest, Manifest> revisions = new LinkedHashMap<>();
        for (Digest digest : collector.repositories().revisions(repository)) {
            Manifest manifest = collector.read(repository, digest);
            if (manifest != null) {
                revisions.put(digest, manifest);
            }
        }
        return new Contents(revisions, collector.tags(repository));
    }

    /** The manifest's own bytes, its config's and its layers' as its descriptors say. */
    private long size(Digest digest, Manifest manifest) throws IOException {
        long size;
        try {
            size = driver.stat(StorageLayout.blobData(digest)).size();
        } catch (berth.registry.storage.PathNotFoundException gone) {
            size = 0;
        }
        if (manifest.config() != null) {
            size += manifest.config().size();
        }
        for (Descriptor layer : manifest.layers()) {
            size += layer.size();
        }
        return size;
    }
}
