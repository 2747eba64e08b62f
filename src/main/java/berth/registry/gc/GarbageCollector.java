package berth.registry.gc;

import berth.oci.Digest;
import berth.oci.Manifest;
import berth.oci.RegistryEvent;
import berth.oci.RegistryEventBatch;
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
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

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
 * run before any sweep: a mark that may be incomplete deletes nothing. Repositories are read side
 * by side ({@value #PARALLEL} at a time), each manifest's bytes once however many repositories
 * hold it.
 *
 * <h2>Sweep</h2>
 * Then the {@code _layers} links whose digest no kept manifest of their repository marks, and every
 * blob under {@code blobs/} that no repository marks. A blob that goes takes its unmarked links with
 * it, under one lock of its digest (the links first); the links of a blob that stays go on their own
 * before. Deleting in this order - manifests, links, blobs - leaves nothing referenced missing at any
 * moment, so a run killed at any point (kill -9) only leaves work for the next run, which redoes the
 * whole pass. The storage
 * deletions of one write-barrier batch run side by side ({@value #PARALLEL} at a time: a storage
 * call mostly waits, on the disk or the object store), and all of them end before the batch's
 * locks are let go.
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
 *     time too, for what CNCF Distribution wrote). It locks up to 256 digests per transaction, in
 *     digest order as writers do, so a database round trip is not paid per deletion and a writer
 *     waits at most for one batch's storage deletions.</li>
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
public record GarbageCollector(StorageDriver driver, Repositories repositories, BlobFence fence, StorageUsage usage,
        ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    /** The events' actor: what the catalog and the logs show as having deleted an untagged manifest. */
    static final String ACTOR = "berth:gc";
    private static final int LISTED_ITEMS = 1000;
    /** Blobs deleted per write-barrier transaction; the run checks between batches whether to go on. */
    private static final int BLOB_BATCH = 1024;
    /**
     * Storage calls a run makes at once: reading repositories, walking blobs, deleting. A deletion mostly waits on the disk's
     * journal (on this project's test machine a directory deletion takes close to a millisecond alone, a quarter of that 32
     * at a time) or on the object store, not on a processor.
     */
    static final int PARALLEL = 32;

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

        synchronized void item(String kind, Digest digest, String where) {
            if (items.size() < LISTED_ITEMS) {
                items.add(kind + " " + digest + " " + where);
            }
        }

        synchronized void error(String what, Exception e) {
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

    /** What the run learned of one repository, and what it did there. */
    private final class RepositoryState {
        final RepositoryName name;
        final Map<Digest, Manifest> revisions;
        final Map<Tag, Digest> tagged;
        final Set<Digest> kept;
        final List<FileInfo> layerLinks;
        /** Written by deletions running side by side. */
        final Set<Digest> removed = ConcurrentHashMap.newKeySet();
        final Set<Digest> unlinked = ConcurrentHashMap.newKeySet();
        final Set<Digest> marked = new HashSet<>();
        @Nullable Map<Digest, List<Tag>> history;

        RepositoryState(RepositoryName name, Map<Digest, Manifest> revisions, Map<Tag, Digest> tagged, Set<Digest> kept,
                        List<FileInfo> layerLinks) {
            this.name = name;
            this.revisions = revisions;
            this.tagged = tagged;
            this.kept = kept;
            this.layerLinks = layerLinks;
        }

        /** Which tags' history ({@code tags/<tag>/index}) names each digest; read once, when a manifest of this repository goes. */
        synchronized Map<Digest, List<Tag>> history() throws IOException {
            if (history == null) {
                history = tagHistory(name, tagged.keySet());
            }
            return history;
        }

        /** Marks what the kept manifests reference. */
        void mark() {
            for (Digest digest : kept) {
                marked.add(digest);
                Manifest manifest = revisions.get(digest);
                if (manifest == null) {
                    continue; // a tag naming a manifest that is not a revision here: nothing to mark
                }
                if (manifest.config() != null) {
                    marked.add(manifest.config().digest());
                }
                manifest.layers().forEach(layer -> marked.add(layer.digest()));
                manifest.manifests().forEach(child -> marked.add(child.digest()));
            }
        }
    }

    /** Which of {@code tags}' history ({@code tags/<tag>/index}) names each digest: the links that go with a manifest's revision. */
    Map<Digest, List<Tag>> tagHistory(RepositoryName name, Set<Tag> tags) throws IOException {
        Map<Digest, List<Tag>> history = new HashMap<>();
        for (Tag tag : tags) {
            try {
                for (String path : driver.list(StorageLayout.tag(name, tag) + "/index/sha256")) {
                    try {
                        history.computeIfAbsent(new Digest("sha256", StorageLayout.lastSegment(path)), d -> new ArrayList<>()).add(tag);
                    } catch (RegistryException notADigest) {
                        // not written through the API
                    }
                }
            } catch (PathNotFoundException none) {
                // a tag without history
            }
        }
        return history;
    }

    /**
     * One pass, counted into {@code tally}. {@code start} is the run's {@code M}; {@code keepGoing}
     * is asked between steps. Throws when the mark could not read everything (nothing swept then).
     * Deletions are batched across repositories by digest, so the write barrier costs a database
     * transaction per batch of digests, not per repository.
     */
    void collect(Options options, Instant start, BooleanSupplier keepGoing, Tally tally) throws IOException {
        ExecutorService io = Executors.newFixedThreadPool(PARALLEL, Thread.ofPlatform().name("registry-gc-io-", 0).daemon().factory());
        try {
            collect(options, start, keepGoing, tally, io);
        } finally {
            io.shutdownNow();
        }
    }

    private void collect(Options options, Instant start, BooleanSupplier keepGoing, Tally tally, ExecutorService io) throws IOException {
        Instant cutoff = start.minus(options.grace());
        Set<String> recent = options.dryRun() ? fence.touchedSince(cutoff) : Set.of();
        Map<Digest, Optional<Manifest>> parsed = new ConcurrentHashMap<>();
        Phases phases = new Phases();
        List<String> names = repositories.list();
        RepositoryState[] read = new RepositoryState[names.size()];
        inParallel(io, java.util.stream.IntStream.range(0, names.size()).boxed().toList(), i -> {
            check(keepGoing);
            read[i] = read(new RepositoryName(names.get(i)), options, parsed);
        });
        List<RepositoryState> states = List.of(read);
        phases.done("read " + states.size() + " repositories");
        if (options.deleteUntagged()) {
            // Indexes first: one that must stay (touched since the cutoff) keeps its children before their turn.
            for (boolean indexes : new boolean[] {true, false}) {
                check(keepGoing);
                Map<Digest, List<RepositoryState>> untagged = new LinkedHashMap<>();
                for (RepositoryState state : states) {
                    state.revisions.forEach((digest, manifest) -> {
                        if (!state.kept.contains(digest) && manifest.isIndex() == indexes) {
                            untagged.computeIfAbsent(digest, d -> new ArrayList<>()).add(state);
                        }
                    });
                }
                removeManifests(untagged, options, cutoff, recent, tally, io);
                untagged.forEach((digest, holders) -> {
                    for (RepositoryState state : holders) {
                        if (!state.removed.contains(digest)) {
                            state.kept.addAll(closure(Set.of(digest), state.revisions));
                        }
                    }
                });
            }
        }
        phases.done("untagged manifests");
        Set<Digest> marked = new HashSet<>();
        for (RepositoryState state : states) {
            state.mark();
            marked.addAll(state.marked);
        }
        check(keepGoing);
        BlobWalk blobs = walkBlobs(marked, cutoff, io);
        phases.done("walk blobs");
        Map<Digest, List<RepositoryState>> unmarkedLinks = unmarkedLinks(states, cutoff);
        sweepLinks(unmarkedLinks, blobs.unmarked().keySet(), options, recent, cutoff, tally, io);
        phases.done("links");
        Map<Digest, Long> sizes = sweepBlobs(blobs, unmarkedLinks, options, cutoff, recent, keepGoing, tally, io);
        phases.done("blobs and their links");
        if (!options.dryRun()) {
            fence.forgetIdle(cutoff);
            countInUsage(states, sizes);
            usage.refreshGauge();
            phases.done("usage");
        }
        log.info("Garbage collection phases: {}", phases);
    }

    /** How long each step of a run took, for the log: where the time of a slow run went. */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(phase).append(String.format(java.util.Locale.ROOT, " %.1f s", (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private RepositoryState read(RepositoryName name, Options options, Map<Digest, Optional<Manifest>> parsed) throws IOException {
        Map<Digest, Manifest> revisions = new LinkedHashMap<>();
        for (Digest digest : repositories.revisions(name)) {
            Optional<Manifest> manifest = parsed.get(digest);
            if (manifest == null) {
                // Two repositories reading the same manifest at once both parse it: cheaper than making one wait.
                manifest = Optional.ofNullable(read(name, digest));
                parsed.put(digest, manifest);
            }
            // Empty: its bytes are gone, a revision nobody can pull, and it marks nothing.
            manifest.ifPresent(found -> revisions.put(digest, found));
        }
        Map<Tag, Digest> tagged = tags(name);
        Set<Digest> kept = options.deleteUntagged() ? closure(new HashSet<>(tagged.values()), revisions) : new HashSet<>(revisions.keySet());
        return new RepositoryState(name, revisions, tagged, kept, layerLinks(name));
    }

    /** {@code roots} and every revision reachable from them: children of indexes, referrers of kept manifests. */
    static Set<Digest> closure(Set<Digest> roots, Map<Digest, Manifest> revisions) {
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

    /** Deletes untagged manifests ({@code untagged}: digest to the repositories where it is one); records in each state what went. */
    private void removeManifests(Map<Digest, List<RepositoryState>> untagged, Options options, Instant cutoff, Set<String> recent,
                                 Tally tally, ExecutorService io) {
        if (options.dryRun()) {
            untagged.forEach((digest, holders) -> {
                if (!recent.contains(digest.toString())) {
                    for (RepositoryState state : holders) {
                        state.removed.add(digest);
                        tally.manifests++;
                        tally.item("manifest", digest, state.name.value());
                    }
                }
            });
            return;
        }
        List<Object[]> unlinked = Collections.synchronizedList(new ArrayList<>());
        BlobFence.Outcome outcome = fence.deleteIdle(untagged.keySet(), cutoff, false, io, digest -> forEachHolder(untagged.get(digest), state -> {
            deleteRevision(state.name, digest, state.history().getOrDefault(digest, List.of()));
            state.removed.add(digest);
            unlinked.add(new Object[] {state.name.value(), digest.toString()});
        }));
        usage.unlinked(unlinked);
        List<RegistryEvent> deletions = new ArrayList<>();
        untagged.forEach((digest, holders) -> {
            for (RepositoryState state : holders) {
                if (state.removed.contains(digest)) {
                    tally.manifests++;
                    tally.item("manifest", digest, state.name.value());
                    deletions.add(deletion(state.name, digest, state.revisions.get(digest), ACTOR));
                }
            }
        });
        announce(deletions);
        outcome.failed().forEach((digest, e) -> tally.error("could not delete manifest " + digest, e));
    }

    /** Deletes a manifest revision and the tag history links ({@code history}: the tags whose history names it) of it. */
    void deleteRevision(RepositoryName repository, Digest digest, List<Tag> history) throws IOException {
        driver.delete(StorageLayout.revisionDirectory(repository, digest));
        for (Tag tag : history) {
            deleteIfPresent(StorageLayout.tagIndexDirectory(repository, tag, digest));
        }
    }

    /** The event of a removed manifest, by {@code actor}: the catalog, audit log and webhooks follow it as a delete by digest. */
    RegistryEvent deletion(RepositoryName repository, Digest digest, Manifest manifest, String actor) {
        return new RegistryEvent(UUID.randomUUID().toString(), clock.instant(), RegistryEvent.Action.DELETE,
                new RegistryEvent.Target(manifest.mediaType(), digest.toString(), 0, repository.value(), null), actor, null);
    }

    /**
     * Publishes removals a thousand events to a publication, each in a transaction, which stores it in the outbox (one row per
     * listener) before the listeners run. One stored per event made the outbox a run's slowest part (every commit written to
     * disk); published outside a transaction, the listeners did not get them before a restart.
     */
    void announce(List<RegistryEvent> deletions) {
        RegistryEventBatch.of(deletions).forEach(batch -> transactions.executeWithoutResult(status -> events.publishEvent(batch)));
    }

    /**
     * The {@code _layers} links whose digest no kept manifest of their repository marks (and written before the cutoff), by
     * digest: the repositories holding such a link.
     */
    private static Map<Digest, List<RepositoryState>> unmarkedLinks(List<RepositoryState> states, Instant cutoff) {
        Map<Digest, List<RepositoryState>> candidates = new LinkedHashMap<>();
        for (RepositoryState state : states) {
            for (FileInfo link : state.layerLinks) {
                Digest digest = linkDigest(link.path());
                if (digest != null && !state.marked.contains(digest) && link.modified().isBefore(cutoff)) {
                    candidates.computeIfAbsent(digest, d -> new ArrayList<>()).add(state);
                }
            }
        }
        return candidates;
    }

    /**
     * Deletes the unmarked links of digests whose blob stays (another repository's manifest marks it); the links of a blob
     * that goes are deleted with it, under the same lock ({@link #sweepBlobs}). A dry run counts them all here.
     */
    private void sweepLinks(Map<Digest, List<RepositoryState>> unmarkedLinks, Set<Digest> doomedBlobs, Options options, Set<String> recent,
                            Instant cutoff, Tally tally, ExecutorService io) {
        if (options.dryRun()) {
            unmarkedLinks.forEach((digest, holders) -> {
                if (!recent.contains(digest.toString())) {
                    holders.forEach(state -> {
                        tally.links++;
                        tally.item("link", digest, state.name.value());
                    });
                }
            });
            return;
        }
        Map<Digest, List<RepositoryState>> candidates = new LinkedHashMap<>(unmarkedLinks);
        candidates.keySet().removeAll(doomedBlobs);
        List<Object[]> unlinked = Collections.synchronizedList(new ArrayList<>());
        BlobFence.Outcome outcome = fence.deleteIdle(candidates.keySet(), cutoff, false, io,
                digest -> deleteLinks(digest, candidates.get(digest), unlinked));
        usage.unlinked(unlinked);
        countLinks(candidates, outcome.deleted(), tally);
        outcome.failed().forEach((digest, e) -> tally.error("could not delete a link of " + digest, e));
    }

    /** Deletes the digest's {@code _layers} link in each of {@code holders}; throws the first failure once all were tried. */
    private void deleteLinks(Digest digest, List<RepositoryState> holders, List<Object[]> unlinked) throws IOException {
        forEachHolder(holders, state -> {
            driver.delete(StorageLayout.layerLinkDirectory(state.name, digest));
            state.unlinked.add(digest);
            unlinked.add(new Object[] {state.name.value(), digest.toString()});
        });
    }

    private static void countLinks(Map<Digest, List<RepositoryState>> candidates, List<Digest> handled, Tally tally) {
        for (Digest digest : handled) {
            for (RepositoryState state : candidates.getOrDefault(digest, List.of())) {
                if (state.unlinked.contains(digest)) {
                    tally.links++;
                    tally.item("link", digest, state.name.value());
                }
            }
        }
    }

    /** What a deletion does in one repository holding the digest. */
    @FunctionalInterface
    private interface InRepository {
        void run(RepositoryState state) throws IOException;
    }

    /**
     * Runs {@code action} in every repository holding a digest: one that fails does not stop the
     * others, and the first failure is thrown at the end. What a client deleted meanwhile is no failure.
     */
    private static void forEachHolder(List<RepositoryState> holders, InRepository action) throws IOException {
        IOException first = null;
        for (RepositoryState state : holders) {
            try {
                action.run(state);
            } catch (PathNotFoundException gone) {
                // deleted by a client meanwhile
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Every blob's size, and those no repository marks that were written before the cutoff: the candidates. */
    private record BlobWalk(Map<Digest, Long> sizes, Map<Digest, Long> unmarked) {
    }

    private BlobWalk walkBlobs(Set<Digest> marked, Instant cutoff, ExecutorService io) throws IOException {
        List<FileInfo> unmarked = Collections.synchronizedList(new ArrayList<>());
        Map<Digest, Long> sizes = new ConcurrentHashMap<>();
        List<String> prefixes;
        try {
            prefixes = driver.list(StorageLayout.blobs() + "/sha256");
        } catch (PathNotFoundException empty) {
            return new BlobWalk(sizes, Map.of());
        }
        // The blobs/sha256/<ab> directories walked side by side; other algorithms hold nothing a revision listing marks.
        inParallel(io, prefixes, prefix -> {
            for (FileInfo info : filesIn(prefix, "data")) {
                Digest digest = blobDigest(info.path());
                if (digest != null) {
                    sizes.put(digest, info.size());
                    if (!marked.contains(digest) && info.modified().isBefore(cutoff)) {
                        unmarked.add(info);
                    }
                }
            }
        });
        Map<Digest, Long> unmarkedSizes = new LinkedHashMap<>();
        for (FileInfo data : unmarked) {
            unmarkedSizes.put(java.util.Objects.requireNonNull(blobDigest(data.path())), data.size());
        }
        return new BlobWalk(sizes, unmarkedSizes);
    }

    /**
     * Deletes the unmarked blobs, each with its repositories' unmarked links, under one lock of the digest: links first, so
     * no link names a missing blob at any moment, and a blob one of whose links could not go stays. Returns the size of
     * every blob that stays.
     */
    private Map<Digest, Long> sweepBlobs(BlobWalk blobs, Map<Digest, List<RepositoryState>> unmarkedLinks, Options options, Instant cutoff,
                                         Set<String> recent, BooleanSupplier keepGoing, Tally tally, ExecutorService io) {
        Map<Digest, Long> sizes = new HashMap<>(blobs.sizes());
        if (options.dryRun()) {
            blobs.unmarked().forEach((digest, size) -> {
                if (!recent.contains(digest.toString())) {
                    tally.blobs++;
                    tally.bytes += size;
                    tally.item("blob", digest, Long.toString(size));
                }
            });
            return sizes;
        }
        List<Digest> candidates = new ArrayList<>(blobs.unmarked().keySet());
        // Ordered by the end of the digest, so each batch spans many blobs/sha256/<ab> directories (see BlobFence.deleteIdle).
        candidates.sort(java.util.Comparator.comparing(digest -> new StringBuilder(digest.hex()).reverse().toString()));
        for (int from = 0; from < candidates.size(); from += BLOB_BATCH) {
            check(keepGoing);
            List<Object[]> unlinked = Collections.synchronizedList(new ArrayList<>());
            BlobFence.Outcome outcome = fence.deleteIdle(candidates.subList(from, Math.min(candidates.size(), from + BLOB_BATCH)), cutoff, true,
                    io, digest -> {
                        deleteLinks(digest, unmarkedLinks.getOrDefault(digest, List.of()), unlinked);
                        driver.delete(StorageLayout.blobDirectory(digest));
                    });
            usage.unlinked(unlinked);
            countLinks(unmarkedLinks, outcome.deleted(), tally);
            outcome.failed().forEach((digest, e) -> countLinks(unmarkedLinks, List.of(digest), tally));
            for (Digest digest : outcome.deleted()) {
                long size = blobs.unmarked().get(digest);
                tally.blobs++;
                tally.bytes += size;
                tally.item("blob", digest, Long.toString(size));
                sizes.remove(digest);
            }
            outcome.failed().forEach((digest, e) -> tally.error("could not delete blob " + digest, e));
        }
        return sizes;
    }

    /** Adds to the usage rows what repositories link in storage and the rows lack (content stored before usage was kept). */
    private void countInUsage(List<RepositoryState> states, Map<Digest, Long> sizes) {
        Map<RepositoryName, Map<Digest, Long>> present = new LinkedHashMap<>();
        for (RepositoryState state : states) {
            Map<Digest, Long> linked = present.computeIfAbsent(state.name, n -> new HashMap<>());
            for (Digest digest : state.revisions.keySet()) {
                Long size = sizes.get(digest);
                if (size != null && !state.removed.contains(digest)) {
                    linked.put(digest, size);
                }
            }
            for (FileInfo link : state.layerLinks) {
                Digest digest = linkDigest(link.path());
                Long size = digest == null ? null : sizes.get(digest);
                if (size != null && !state.unlinked.contains(digest)) {
                    linked.put(digest, size);
                }
            }
        }
        try {
            usage.addMissing(present);
        } catch (RuntimeException e) {
            log.warn("Could not count what the repositories hold in the storage usage: {}", e.getMessage());
        }
    }

    /** Each tag's current digest. */
    Map<Tag, Digest> tags(RepositoryName name) throws IOException {
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

    @Nullable Manifest read(RepositoryName name, Digest digest) throws IOException {
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
        return filesIn(StorageLayout.layers(name, "sha256"), "link");
    }

    /**
     * The file named {@code name} in each directory under {@code parent} ({@code <hex>/link} of a repository's layers,
     * {@code <hex>/data} of a blob prefix): one stat each where walking the tree would stat and list every directory
     * too - five of six file system calls of a collection's walk, on a registry of tens of thousands of blobs.
     */
    private List<FileInfo> filesIn(String parent, String name) throws IOException {
        List<String> directories;
        try {
            directories = driver.list(parent);
        } catch (PathNotFoundException none) {
            return List.of();
        }
        List<FileInfo> files = new ArrayList<>(directories.size());
        for (String directory : directories) {
            try {
                FileInfo file = driver.stat(directory + "/" + name);
                if (!file.directory()) {
                    files.add(file);
                }
            } catch (PathNotFoundException absent) {
                // not a blob or link directory, or deleted since the listing
            }
        }
        return files;
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

    /** A step of the run on one item. */
    @FunctionalInterface
    private interface Step<T> {
        void run(T item) throws IOException;
    }

    /** Runs {@code step} on every item on {@code io} and waits for all of them; the first failure is thrown once all ended. */
    private static <T> void inParallel(ExecutorService io, List<T> items, Step<T> step) throws IOException {
        List<Future<?>> running = new ArrayList<>(items.size());
        for (T item : items) {
            running.add(io.submit(() -> {
                step.run(item);
                return null;
            }));
        }
        Throwable first = null;
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(other -> other.cancel(true));
                throw new Stopped("the run was interrupted");
            }
        }
        if (first instanceof IOException e) {
            throw e;
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }

    private static void check(BooleanSupplier keepGoing) {
        if (!keepGoing.getAsBoolean()) {
            throw new Stopped("the run was stopped before it finished");
        }
    }
}
