package berth.registry.gc;

import berth.oci.Digest;
import berth.oci.Manifest;
import berth.oci.RegistryEvent;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.registry.content.BlobFence;
import berth.registry.content.Repositories;
import berth.registry.storage.FileInfo;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.usage.StorageUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Online garbage collection: one mark-and-sweep pass over the storage while the registry keeps
 * serving pulls and pushes.
 *
 * <h2>Mark</h2>
 * Repository by repository: the revisions under {@code _manifests/revisions} are the manifests.
 * Without {@code deleteUntagged} every revision is kept. With it, the kept manifests are those the
 * tags' {@code current} links name, closed over the children of kept indexes (an image in a
 * multi-platform index is untagged but referenced - CNCF Distribution 2.8 deleted those, its bug
 * #3004) and over the referrers of kept manifests (signatures, SBOMs: manifests whose
 * {@code subject} is kept). The other revisions are deleted (revision link, and the tag history
 * links naming them, as Distribution's {@code RemoveManifest} does) and announced as
 * {@link RegistryEvent.Action#DELETE} events, so the catalog follows as for a delete by digest.
 * Every kept manifest marks its own digest, its config, its layers (foreign ones too) and its
 * children, per repository and globally. A manifest whose bytes cannot be read or parsed stops the
 * run before any sweep: a mark that may be incomplete deletes nothing.
 *
 * <h2>Sweep</h2>
 * Then, per repository, the {@code _layers} links whose digest no kept manifest of that repository
 * marks; then every blob under {@code blobs/} that no repository marks. Deleting in this order -
 * manifests, links, blobs - leaves nothing referenced missing at any moment, so a run killed at
 * any point (kill -9) only leaves work for the next run, which redoes the whole pass.
 *
 * <h2>Write barrier</h2>
 * A run has a start {@code M} and a cutoff {@code C = M - grace}. {@link BlobFence} keeps, per
 * digest, a database row with a lock and {@code touched_at}:
 * <ul>
 * <li>finishing an upload, a cross-repository mount, and a manifest PUT (for the manifest's own
 *     digest, its config, layers and children) lock the rows of their digests, check that what they
 *     need exists, write to storage, and stamp {@code touched_at = now} <em>after</em> the write,
 *     in the same transaction;</li>
 * <li>a HEAD of a blob stamps its row before answering;</li>
 * <li>the collector deletes a manifest revision, a link or a blob only holding the digest's lock,
 *     and only when {@code touched_at < C} (and, for links and blobs, the file's own modification
 *     time too, for what CNCF Distribution wrote).</li>
 * </ul>
 * Why no stored manifest can name a missing blob: take a manifest PUT that names blob {@code b}.
 * It holds {@code b}'s lock from its check to its commit, so it and the deletion of {@code b} are
 * ordered. If the deletion comes first, the PUT's check finds {@code b} missing and answers
 * {@code MANIFEST_BLOB_UNKNOWN}, storing nothing. If the PUT comes first, either its revision link
 * was written before the mark listed that repository - then the mark saw the manifest and {@code b}
 * is marked - or after it; the mark listed the repository after {@code M}, so the PUT stamped
 * {@code b} later than {@code M >= C}, and the deletion, re-reading the stamp under the lock,
 * spares {@code b}. The same argument covers the {@code _layers} link the PUT checks, an index's
 * children, and the manifest's own revision (an untagged manifest being tagged again). Uploads and
 * mounts stamp their blob, so with a grace period a fresh blob waits {@code grace} for the manifest
 * that will name it: a push whose blobs were collected before its manifest came (possible only
 * with a grace period shorter than the push) fails with {@code MANIFEST_BLOB_UNKNOWN}, and the
 * client pushes again. A dry run takes no locks and spares whatever was stamped since {@code C}.
 *
 * <p>Rows older than the cutoff protect nothing; a real run forgets them at its end. It also adds
 * to the storage usage rows ({@link StorageUsage}) what repositories link in storage and the rows
 * lack, and removes the rows of what it deleted.
 */
@org.springframework.stereotype.Component
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    /** The events' actor: what the catalog and the logs show as having deleted an untagged manifest. */
    static final String ACTOR = "berth:gc";
    private static final int LISTED_ITEMS = 1000;

    private final StorageDriver driver;
    private final Repositories repositories;
    private final BlobFence fence;
    private final StorageUsage usage;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    GarbageCollector(StorageDriver driver, Repositories repositories, BlobFence fence, StorageUsage usage,
                     ApplicationEventPublisher events, Clock clock) {
        this.driver = driver;
        this.usage = usage;
        this.repositories = repositories;
        this.fence = fence;
        this.events = events;
        this.clock = clock;
    }

    /** What a run is asked to do. */
    record Options(boolean dryRun, boolean deleteUntagged, Duration grace) {
    }

    /** What a run did (or, dry, would do), counted as it goes so a failed run still tells. */
    static final class Tally {
        long blobs;
        long manifests;
        long links;
        long bytes;
        int errors;
        @Nullable String firstError;
        final List<String> items = new ArrayList<>();

        void item(String kind, Digest digest, String where) {
            if (items.size() < LISTED_ITEMS) {
                items.add(kind + " " + digest + " " + where);
            }
        }

        void error(String what, Exception e) {
            errors++;
            if (firstError == null) {
                firstError = what + ": " + e.getMessage();
            }
            log.warn("Garbage collection: {}: {}", what, e.getMessage());
        }
    }

    /** The run was told to stop (its lease was lost, or the instance is stopping). */
    static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    /** What the mark learned of one repository. */
    private record RepositoryMarks(RepositoryName name, Set<Digest> marked, Set<Digest> revisions, List<FileInfo> layerLinks,
                                   Set<Digest> unlinked) {
    }

    /**
     * One pass, counted into {@code tally}. {@code start} is the run's {@code M}; {@code keepGoing}
     * is asked between steps. Throws when the mark could not read everything (nothing swept then).
     */
    void collect(Options options, Instant start, BooleanSupplier keepGoing, Tally tally) throws IOException {
        Instant cutoff = start.minus(options.grace());
        Set<String> recent = options.dryRun() ? fence.touchedSince(cutoff) : Set.of();
        Map<Digest, Manifest> parsed = new HashMap<>();
        Set<Digest> marked = new HashSet<>();
        List<RepositoryMarks> marks = new ArrayList<>();
        for (String text : repositories.list()) {
            check(keepGoing);
            RepositoryName name = new RepositoryName(text);
            RepositoryMarks repository = mark(name, options, cutoff, recent, parsed, tally);
            marked.addAll(repository.marked());
            marks.add(repository);
        }
        for (RepositoryMarks repository : marks) {
            check(keepGoing);
            sweepLinks(repository, options, cutoff, recent, tally);
        }
        Map<Digest, Long> sizes = sweepBlobs(marked, options, cutoff, recent, keepGoing, tally);
        if (!options.dryRun()) {
            fence.forgetIdle(cutoff);
            for (RepositoryMarks repository : marks) {
                countInUsage(repository, sizes);
            }
            usage.refreshGauge();
        }
    }

    private RepositoryMarks mark(RepositoryName name, Options options, Instant cutoff, Set<String> recent,
                                 Map<Digest, Manifest> parsed, Tally tally) throws IOException {
        Map<Digest, Manifest> revisions = new LinkedHashMap<>();
        for (Digest digest : revisions(name)) {
            Manifest manifest = parsed.get(digest);
            if (manifest == null) {
                manifest = read(name, digest);
                if (manifest == null) {
                    continue; // its bytes are gone: a revision nobody can pull, and it marks nothing
                }
                parsed.put(digest, manifest);
            }
            revisions.put(digest, manifest);
        }
        Set<Digest> kept;
        if (options.deleteUntagged()) {
            Map<Tag, Digest> tagged = tags(name);
            kept = closure(new HashSet<>(tagged.values()), revisions);
            List<Digest> untagged = new ArrayList<>(revisions.keySet());
            untagged.removeAll(kept);
            // Indexes first: one that must stay (touched since the cutoff) keeps its children before their turn.
            untagged.sort(Comparator.comparing((Digest d) -> !revisions.get(d).isIndex()).thenComparing(Digest::toString));
            for (Digest digest : untagged) {
                if (kept.contains(digest)) {
                    continue;
                }
                if (removeManifest(name, digest, revisions.get(digest), tagged.keySet(), options, cutoff, recent, tally)) {
                    continue;
                }
                kept.addAll(closure(Set.of(digest), revisions));
            }
        } else {
            kept = new HashSet<>(revisions.keySet());
        }
        Set<Digest> repositoryMarks = new HashSet<>();
        for (Digest digest : kept) {
            Manifest manifest = revisions.get(digest);
            repositoryMarks.add(digest);
            if (manifest == null) {
                continue; // a tag naming a manifest that is not a revision here: nothing to mark
            }
            if (manifest.config() != null) {
                repositoryMarks.add(manifest.config().digest());
            }
            manifest.layers().forEach(layer -> repositoryMarks.add(layer.digest()));
            manifest.manifests().forEach(child -> repositoryMarks.add(child.digest()));
        }
        return new RepositoryMarks(name, repositoryMarks, kept, layerLinks(name), new HashSet<>());
    }

    /** {@code roots} and every revision reachable from them: children of indexes, referrers of kept manifests. */
    private static Set<Digest> closure(Set<Digest> roots, Map<Digest, Manifest> revisions) {
        Map<Digest, List<Digest>> referrers = new HashMap<>();
        revisions.forEach((digest, manifest) -> {
            if (manifest.subject() != null) {
                referrers.computeIfAbsent(manifest.subject().digest(), d -> new ArrayList<>()).add(digest);
            }
        });
        Set<Digest> kept = new HashSet<>(roots);
        Deque<Digest> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Digest digest = todo.pop();
            Manifest manifest = revisions.get(digest);
            List<Digest> next = new ArrayList<>(referrers.getOrDefault(digest, List.of()));
            if (manifest != null) {
                manifest.manifests().forEach(child -> next.add(child.digest()));
            }
            for (Digest reached : next) {
                if (kept.add(reached)) {
                    todo.push(reached);
                }
            }
        }
        return kept;
    }

    /** Deletes an untagged manifest from the repository; false when it was touched since the cutoff and stays. */
    private boolean removeManifest(RepositoryName name, Digest digest, Manifest manifest, Set<Tag> tags, Options options,
                                   Instant cutoff, Set<String> recent, Tally tally) {
        if (options.dryRun()) {
            if (recent.contains(digest.toString())) {
                return false;
            }
            tally.manifests++;
            tally.item("manifest", digest, name.value());
            return true;
        }
        try {
            boolean removed = fence.deleteIfIdle(digest, cutoff, false, () -> {
                driver.delete(StorageLayout.revisionDirectory(name, digest));
                usage.unlinked(name, digest);
                for (Tag tag : tags) {
                    deleteIfPresent(StorageLayout.tagIndexDirectory(name, tag, digest));
                }
                return null;
            });
            if (removed) {
                tally.manifests++;
                tally.item("manifest", digest, name.value());
                events.publishEvent(new RegistryEvent(UUID.randomUUID().toString(), clock.instant(), RegistryEvent.Action.DELETE,
                        new RegistryEvent.Target(manifest.mediaType(), digest.toString(), 0, name.value(), null), ACTOR, null));
            }
            return removed;
        } catch (PathNotFoundException gone) {
            return true; // deleted by a client meanwhile
        } catch (IOException | RuntimeException e) {
            tally.error("could not delete manifest " + digest + " of " + name, e);
            return false;
        }
    }

    private void sweepLinks(RepositoryMarks repository, Options options, Instant cutoff, Set<String> recent, Tally tally) {
        for (FileInfo link : repository.layerLinks()) {
            Digest digest = linkDigest(link.path());
            if (digest == null || repository.marked().contains(digest) || !link.modified().isBefore(cutoff)) {
                continue;
            }
            if (options.dryRun()) {
                if (!recent.contains(digest.toString())) {
                    tally.links++;
                    tally.item("link", digest, repository.name().value());
                }
                continue;
            }
            try {
                if (fence.deleteIfIdle(digest, cutoff, false, () -> {
                    driver.delete(StorageLayout.layerLinkDirectory(repository.name(), digest));
                    usage.unlinked(repository.name(), digest);
                    return null;
                })) {
                    repository.unlinked().add(digest);
                    tally.links++;
                    tally.item("link", digest, repository.name().value());
                }
            } catch (PathNotFoundException gone) {
                // unlinked by a client meanwhile
            } catch (IOException | RuntimeException e) {
                tally.error("could not delete the link of " + digest + " in " + repository.name(), e);
            }
        }
    }

    /** Sweeps the blobs; returns the size of every blob that stays. */
    private Map<Digest, Long> sweepBlobs(Set<Digest> marked, Options options, Instant cutoff, Set<String> recent,
                                         BooleanSupplier keepGoing, Tally tally) throws IOException {
        List<FileInfo> unmarked = new ArrayList<>();
        Map<Digest, Long> sizes = new HashMap<>();
        try {
            driver.walk(StorageLayout.blobs(), info -> {
                if (info.directory() || !"data".equals(StorageLayout.lastSegment(info.path()))) {
                    return true;
                }
                Digest digest = blobDigest(info.path());
                if (digest != null) {
                    sizes.put(digest, info.size());
                    if (!marked.contains(digest) && info.modified().isBefore(cutoff)) {
                        unmarked.add(info);
                    }
                }
                return true;
            });
        } catch (PathNotFoundException empty) {
            return sizes;
        }
        for (FileInfo data : unmarked) {
            check(keepGoing);
            Digest digest = java.util.Objects.requireNonNull(blobDigest(data.path()));
            if (options.dryRun()) {
                if (!recent.contains(digest.toString())) {
                    tally.blobs++;
                    tally.bytes += data.size();
                    tally.item("blob", digest, Long.toString(data.size()));
                }
                continue;
            }
            try {
                if (fence.deleteIfIdle(digest, cutoff, true, () -> {
                    driver.delete(StorageLayout.blobDirectory(digest));
                    return null;
                })) {
                    tally.blobs++;
                    tally.bytes += data.size();
                    tally.item("blob", digest, Long.toString(data.size()));
                    sizes.remove(digest);
                }
            } catch (PathNotFoundException gone) {
                // collected by a run before this one was killed, or by CNCF Distribution
                sizes.remove(digest);
            } catch (IOException | RuntimeException e) {
                tally.error("could not delete blob " + digest, e);
            }
        }
        return sizes;
    }

    /** Adds to the usage rows what the repository links in storage and they lack (content stored before usage was kept). */
    private void countInUsage(RepositoryMarks repository, Map<Digest, Long> sizes) {
        Map<Digest, Long> present = new HashMap<>();
        for (Digest digest : repository.revisions()) {
            Long size = sizes.get(digest);
            if (size != null) {
                present.put(digest, size);
            }
        }
        for (FileInfo link : repository.layerLinks()) {
            Digest digest = linkDigest(link.path());
            Long size = digest == null ? null : sizes.get(digest);
            if (size != null && !repository.unlinked().contains(digest)) {
                present.put(digest, size);
            }
        }
        try {
            usage.addMissing(repository.name(), present);
        } catch (RuntimeException e) {
            log.warn("Could not count the usage of {}: {}", repository.name(), e.getMessage());
        }
    }

    private List<Digest> revisions(RepositoryName name) throws IOException {
        List<Digest> digests = new ArrayList<>();
        List<String> paths;
        try {
            paths = driver.list(StorageLayout.revisions(name, "sha256"));
        } catch (PathNotFoundException none) {
            return digests;
        }
        for (String path : paths) {
            try {
                digests.add(new Digest("sha256", StorageLayout.lastSegment(path)));
            } catch (RegistryException notADigest) {
                // a directory no client could have created through the API
            }
        }
        return digests;
    }

    /** Each tag's current digest. */
    private Map<Tag, Digest> tags(RepositoryName name) throws IOException {
        Map<Tag, Digest> tags = new LinkedHashMap<>();
        List<String> paths;
        try {
            paths = driver.list(StorageLayout.tags(name));
        } catch (PathNotFoundException none) {
            return tags;
        }
        for (String path : paths) {
            Tag tag;
            try {
                tag = new Tag(StorageLayout.lastSegment(path));
            } catch (RegistryException notATag) {
                continue;
            }
            try {
                String text = new String(driver.getContent(StorageLayout.tagCurrentLink(name, tag)), StandardCharsets.US_ASCII).trim();
                tags.put(tag, Digest.parse(text));
            } catch (PathNotFoundException untaggedMeanwhile) {
                // deleted since the listing
            } catch (RegistryException corrupt) {
                throw new IOException("the current link of tag " + tag + " in " + name + " holds no digest", corrupt);
            }
        }
        return tags;
    }

    private @Nullable Manifest read(RepositoryName name, Digest digest) throws IOException {
        byte[] content;
        try {
            content = driver.getContent(StorageLayout.blobData(digest));
        } catch (PathNotFoundException gone) {
            return null;
        }
        try {
            return Manifest.parse(content, Manifest.mediaTypeOf(content).orElse(null));
        } catch (RegistryException e) {
            throw new IOException("manifest " + digest + " of " + name + " cannot be read (" + e.getMessage()
                    + "); nothing was collected, since what it references is unknown", e);
        }
    }

    private List<FileInfo> layerLinks(RepositoryName name) throws IOException {
        List<FileInfo> links = new ArrayList<>();
        try {
            driver.walk(StorageLayout.layers(name, "sha256"), info -> {
                if (!info.directory() && "link".equals(StorageLayout.lastSegment(info.path()))) {
                    links.add(info);
                }
                return true;
            });
        } catch (PathNotFoundException none) {
            // a repository with manifests only
        }
        return links;
    }

    private void deleteIfPresent(String path) throws IOException {
        try {
            driver.delete(path);
        } catch (PathNotFoundException absent) {
            // nothing to delete
        }
    }

    /** The digest of {@code .../<hex>/link}. */
    private static @Nullable Digest linkDigest(String linkPath) {
        return digestOfParent(linkPath);
    }

    /** The digest of {@code blobs/sha256/<ab>/<hex>/data}; null for other algorithms, which no revision listing marks. */
    private static @Nullable Digest blobDigest(String dataPath) {
        return dataPath.startsWith(StorageLayout.blobs() + "/sha256/") ? digestOfParent(dataPath) : null;
    }

    private static @Nullable Digest digestOfParent(String path) {
        String parent = path.substring(0, path.lastIndexOf('/'));
        try {
            return new Digest("sha256", StorageLayout.lastSegment(parent));
        } catch (RegistryException notADigest) {
            return null;
        }
    }

    private static void check(BooleanSupplier keepGoing) {
        if (!keepGoing.getAsBoolean()) {
            throw new Stopped("the run was stopped before it finished");
        }
    }
}
