package berth.registry.content;

import berth.base.Caches;
import berth.base.StripedLocks;
import berth.oci.Descriptor;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.Manifest;
import berth.oci.MediaTypes;
import berth.oci.Reference;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.registry.ProtectedTags;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.usage.Quotas;
import berth.registry.usage.StorageUsage;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Manifests and indexes of a repository: stored as blobs, linked as revisions, named by tags.
 * Also answers the referrers API by reading the repository's revisions; parsed summaries are
 * cached by digest, which is safe because content never changes under a digest.
 */
@Component
public class Manifests {

    private final StorageDriver driver;
    private final Blobs blobs;
    private final Tags tags;
    private final Repositories repositories;
    private final Cache<Digest, Summary> summaries;
    private final BlobFence fence;
    private final Quotas quotas;
    private final StorageUsage usage;
    private final ObjectProvider<ProtectedTags> protectedTags;
    /**
     * Held while a tag's protection is checked and the tag moved or removed, so two pushes of a new
     * protected tag cannot both pass the check and the second overwrite the first (on one instance).
     */
    private final StripedLocks tagWrites = new StripedLocks(64);

    public Manifests(StorageDriver driver, Blobs blobs, Tags tags, Repositories repositories, BlobFence fence, Quotas quotas, StorageUsage usage, Caches caches,
                     CacheSettings settings, ObjectProvider<ProtectedTags> protectedTags) {
        this.driver = driver;
        this.protectedTags = protectedTags;
        this.fence = fence;
        this.quotas = quotas;
        this.usage = usage;
        this.blobs = blobs;
        this.tags = tags;
        this.repositories = repositories;
        this.summaries = caches.build("berth.registry.manifests", Caffeine.newBuilder().maximumSize(settings.manifests()));
    }

    /** A manifest as stored: the exact bytes, their digest and media type. */
    public record StoredManifest(Digest digest, String mediaType, byte[] content, @Nullable Digest subject) {
        public long size() {
            return content.length;
        }
    }

    /** What a deletion removed, for the events. */
    public record Deletion(@Nullable Digest digest, @Nullable String mediaType, List<Tag> tags) {
    }

    /**
     * Stores a pushed manifest after checking it: size, well-formedness, media type, that a digest
     * reference matches the content, and that everything it refers to is in the repository.
     */
    public StoredManifest put(RepositoryName name, Reference reference, byte[] content, @Nullable String contentType) throws IOException {
        if (content.length > Manifest.MAX_BYTES) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "The manifest has " + content.length
                    + " bytes; at most " + Manifest.MAX_BYTES + " (4 MiB) are accepted.").withStatus(413);
        }
        Digest digest = Digest.sha256(content);
        if (reference instanceof Reference.ByDigest(Digest given)) {
            Digest actual = given.algorithm().equals("sha256") ? digest : Digest.of(given.newMessageDigest().digest(content), given.algorithm());
            if (!actual.equals(given)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "The manifest's digest is " + actual + ", not " + given + ".",
                        Map.of("expected", given.toString(), "actual", actual.toString()));
            }
            digest = given;
        }
        Manifest manifest = Manifest.parse(content, contentType);
        // Under the write barrier on everything the manifest names and on itself: the collector cannot delete
        // any of them between the checks and the store, and sees them touched after the manifest is visible.
        java.util.Set<Digest> guarded = new java.util.LinkedHashSet<>();
        guarded.add(digest);
        manifest.blobs().forEach(d -> guarded.add(d.digest()));
        manifest.manifests().forEach(d -> guarded.add(d.digest()));
        Digest stored = digest;
        quotas.requireRoom(name, digest, content.length);
        StripedLocks.Step<IOException> storing = () -> fence.guarded(guarded, () -> {
            store(name, reference, content, manifest, stored);
            return null;
        });
        if (reference instanceof Reference.ByTag(Tag tag)) {
            tagWrites.inside(name + ":" + tag, () -> {
                if (!tags.resolve(name, tag).map(stored::equals).orElse(true)) {
                    refuseIfProtected(name, tag, "moved to " + stored);
                }
                storing.run();
            });
        } else {
            storing.run();
        }
        Summary summary = Summary.of(manifest, content.length);
        summaries.put(digest, summary);
        return new StoredManifest(digest, manifest.mediaType(), content, summary.subject());
    }

    private void store(RepositoryName name, Reference reference, byte[] content, Manifest manifest, Digest digest) throws IOException {
        for (Descriptor blob : manifest.blobs()) {
            if (!blobs.isLinked(name, blob.digest())) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "The manifest refers to blob " + blob.digest() + ", which is not in repository " + name + "; push it first.",
                        Map.of("digest", blob.digest().toString()));
            }
        }
        for (Descriptor child : manifest.manifests()) {
            if (!isRevision(name, child.digest()) || blobs.sizeOf(child.digest()).isEmpty()) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "The index refers to manifest " + child.digest() + ", which is not in repository " + name + "; push it first.",
                        Map.of("digest", child.digest().toString()));
            }
        }
        if (blobs.sizeOf(digest).isEmpty()) {
            driver.putContent(StorageLayout.blobData(digest), content);
        }
        driver.putContent(StorageLayout.revisionLink(name, digest), StorageLayout.linkContent(digest));
        usage.linked(name, digest, content.length);
        if (reference instanceof Reference.ByTag(Tag tag)) {
            tags.tag(name, tag, digest);
        }
    }

    /** The manifest a tag or digest names in the repository; {@link ErrorCode#MANIFEST_UNKNOWN} otherwise. */
    public StoredManifest get(RepositoryName name, Reference reference) throws IOException {
        return read(name, reference, digestOf(name, reference));
    }

    /**
     * The manifest {@code reference} names, whose digest {@link #digestOf} has just resolved (so a
     * conditional request resolves a tag once); {@link ErrorCode#MANIFEST_UNKNOWN} if it vanished since.
     */
    public StoredManifest read(RepositoryName name, Reference reference, Digest digest) throws IOException {
        byte[] content;
        try {
            content = driver.getContent(StorageLayout.blobData(digest));
        } catch (PathNotFoundException e) {
            throw unknown(name, reference);
        }
        Summary summary = summaryOf(digest, content);
        return new StoredManifest(digest, summary.mediaType(), content, summary.subject());
    }

    /**
     * The digest of the manifest a tag or digest names in the repository, without reading the
     * manifest; {@link ErrorCode#MANIFEST_UNKNOWN} otherwise.
     */
    public Digest digestOf(RepositoryName name, Reference reference) throws IOException {
        Digest digest = switch (reference) {
            case Reference.ByTag(Tag tag) -> tags.resolve(name, tag).orElseThrow(() -> unknown(name, reference));
            case Reference.ByDigest(Digest d) -> d;
        };
        if (!isRevision(name, digest)) {
            throw unknown(name, reference);
        }
        return digest;
    }

    /**
     * Deletes by tag (only that tag; the OCI spec's "deleting tags") or by digest (the revision
     * and every tag pointing at it, as Distribution does).
     */
    public Deletion delete(RepositoryName name, Reference reference) throws IOException {
        switch (reference) {
            case Reference.ByTag(Tag tag) -> {
                return tagWrites.inside(name + ":" + tag, () -> {
                    Digest previous = tags.resolve(name, tag).orElse(null);
                    if (previous != null) {
                        refuseIfProtected(name, tag, "deleted");
                    }
                    tags.untag(name, tag);
                    return new Deletion(previous, null, List.of(tag));
                });
            }
            case Reference.ByDigest(Digest digest) -> {
                String mediaType = get(name, reference).mediaType();
                List<Tag> removed = tags.pointingAt(name, digest);
                for (Tag tag : removed) {
                    // Deleting the manifest removes its tags too.
                    refuseIfProtected(name, tag, "deleted with manifest " + digest);
                }
                for (Tag tag : removed) {
                    tags.untag(name, tag);
                }
                driver.delete(StorageLayout.revisionDirectory(name, digest));
                usage.unlinked(name, digest);
                return new Deletion(digest, mediaType, removed);
            }
        }
    }

    /** {@link ProtectedTagRefusal} with the protection's sentence when a {@link ProtectedTags} keeps the tag as it is. */
    private void refuseIfProtected(RepositoryName name, Tag tag, String change) {
        protectedTags.orderedStream().map(protection -> protection.refusal(name, tag)).flatMap(Optional::stream).findFirst()
                .ifPresent(refusal -> {
                    throw new ProtectedTagRefusal(tag, refusal, change);
                });
    }

    /**
     * The manifests of the repository whose {@code subject} is {@code digest}, as descriptors for
     * the referrers API, optionally only those of one artifact type.
     */
    public List<Descriptor> referrers(RepositoryName name, Digest digest, @Nullable String artifactType) throws IOException {
        List<Descriptor> result = new ArrayList<>();
        for (Digest candidate : repositories.revisions(name)) {
            Summary summary = summaries.getIfPresent(candidate);
            if (summary == null) {
                try {
                    summary = summaryOf(candidate, driver.getContent(StorageLayout.blobData(candidate)));
                } catch (PathNotFoundException e) {
                    continue;
                }
            }
            if (digest.equals(summary.subject()) && (artifactType == null || artifactType.equals(summary.artifactType()))
                    && isRevision(name, candidate)) {
                result.add(new Descriptor(summary.mediaType(), candidate, summary.size(), summary.artifactType(),
                        summary.annotations(), List.of()));
            }
        }
        return result;
    }

    private Summary summaryOf(Digest digest, byte[] content) {
        Summary summary = summaries.getIfPresent(digest);
        if (summary == null) {
            Optional<String> mediaType = Manifest.mediaTypeOf(content);
            try {
                summary = Summary.of(Manifest.parse(content, mediaType.orElse(null)), content.length);
            } catch (RegistryException e) {
                // Stored by someone else and not a manifest Berth understands; serve it as it is.
                summary = new Summary(mediaType.orElse(MediaTypes.OCI_MANIFEST), null, null, Map.of(), content.length);
            }
            summaries.put(digest, summary);
        }
        return summary;
    }

    private boolean isRevision(RepositoryName name, Digest digest) throws IOException {
        try {
            driver.stat(StorageLayout.revisionLink(name, digest));
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    private static RegistryException unknown(RepositoryName name, Reference reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "Repository " + name + " has no manifest " + reference + ".",
                Map.of("reference", reference.toString()));
    }

    private record Summary(String mediaType, @Nullable String artifactType, @Nullable Digest subject,
                           Map<String, String> annotations, long size) {
        static Summary of(Manifest manifest, long size) {
            return new Summary(manifest.mediaType(), manifest.effectiveArtifactType(),
                    manifest.subject() == null ? null : manifest.subject().digest(), manifest.annotations(), size);
        }
    }
}
