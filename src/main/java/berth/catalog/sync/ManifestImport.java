package berth.catalog.sync;

import berth.catalog.remote.CatalogJson;
import berth.catalog.remote.ManifestDocument;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.ManifestEntry;
import berth.oci.Digest;
import berth.oci.MediaTypes;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Brings a manifest the catalog does not know yet into it: GET the manifest, then the image config
 * (or, for an index, each platform's manifest and config). Digests already stored are never fetched
 * again: content-addressed bytes do not change.
 */
@Component
public record ManifestImport(RegistryClient registry, CatalogStore store, CatalogJson json) {

    /** The artifact type of the manifest a tag is parked on while Distribution 2.8 deletes it. */
    public static final String PLACEHOLDER_TYPE = "application/vnd.berth.tag-deletion-placeholder";

    private static final Logger log = LoggerFactory.getLogger(ManifestImport.class);
    private static final Set<String> IMAGE_CONFIGS = Set.of(MediaTypes.DOCKER_CONFIG, MediaTypes.OCI_CONFIG);

    /** What importing a digest came to. */
    enum Outcome {
        /** Stored (now or before). */
        STORED,
        /** The registry has no such manifest (any more). */
        GONE,
        /** A deletion placeholder: the tag on it is as good as gone. */
        PLACEHOLDER
    }

    /**
     * A manifest read from the registry but not stored yet: the manifest and, for an index, the
     * platform manifests it points at. Nothing touches the database until it is saved, so a full
     * sync can store a whole repository's new manifests in one transaction.
     */
    record Imported(ManifestEntry manifest, List<ManifestEntry> children) {

        boolean placeholder() {
            return PLACEHOLDER_TYPE.equals(manifest.artifactType());
        }

        /** Everything to store: the children first, then the manifest. */
        List<ManifestEntry> entries() {
            List<ManifestEntry> all = new ArrayList<>(children);
            all.add(manifest);
            return all;
        }
    }

    /**
     * Makes sure the manifest {@code digest} of {@code repository} is stored, reading it unless
     * {@code alreadyFetched} holds its bytes; counts fetches in {@code fetched}.
     */
    Outcome ensure(RepositoryName repository, Digest digest, RegistryClient.@Nullable FetchedManifest alreadyFetched, AtomicLong fetched) {
        if (store.hasManifest(digest)) {
            return Outcome.STORED;
        }
        Optional<Imported> imported = read(repository, digest, alreadyFetched, fetched);
        if (imported.isEmpty()) {
            return Outcome.GONE;
        }
        if (imported.get().placeholder()) {
            return Outcome.PLACEHOLDER;
        }
        save(imported.get().entries());
        return Outcome.STORED;
    }

    /**
     * The subject of the manifest {@code digest} pushed by digest into {@code repository}, storing the
     * manifest when it has one (a signature, an SBOM); empty for a manifest attached to nothing (the
     * platform manifest of an index) or gone.
     */
    Optional<Digest> ensureAttached(RepositoryName repository, Digest digest, AtomicLong fetched) {
        if (store.hasManifest(digest)) {
            return store.subjectOf(digest);
        }
        Optional<Imported> imported = read(repository, digest, null, fetched);
        if (imported.isEmpty() || imported.get().manifest().subjectDigest() == null) {
            return Optional.empty();
        }
        save(imported.get().entries());
        return Optional.ofNullable(imported.get().manifest().subjectDigest());
    }

    /**
     * Reads the manifest {@code digest} (GET, unless {@code alreadyFetched} holds its bytes) with its
     * config and, for an index, its platforms; empty when the registry has no such manifest.
     */
    Optional<Imported> read(RepositoryName repository, Digest digest, RegistryClient.@Nullable FetchedManifest alreadyFetched, AtomicLong fetched) {
        RegistryClient.FetchedManifest raw = alreadyFetched;
        if (raw == null) {
            Optional<RegistryClient.FetchedManifest> found = registry.manifest(repository, digest.toString());
            fetched.incrementAndGet();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            raw = found.get();
        }
        List<ManifestEntry> children = new ArrayList<>();
        ManifestEntry manifest = read(repository, raw, children, fetched, 0);
        return Optional.of(new Imported(manifest, children));
    }

    private void save(List<ManifestEntry> entries) {
        try {
            store.saveManifests(entries);
        } catch (DataIntegrityViolationException e) {
            // Another writer stored some of these digests (say, a platform manifest two indexes share) at the
            // same moment; the second try skips what is stored now and inserts the rest.
            log.debug("Another writer stored some of {} manifests first, saving the rest: {}", entries.size(), e.getMessage());
            store.saveManifests(entries);
        }
    }

    private ManifestEntry read(RepositoryName repository, RegistryClient.FetchedManifest raw, List<ManifestEntry> children,
                               AtomicLong fetched, int depth) {
        ManifestDocument document = json.mapper().readValue(raw.body(), ManifestDocument.class);
        String mediaType = document.mediaType() != null ? document.mediaType() : raw.mediaType();
        long size = raw.body().length;
        ManifestEntry entry = document.manifests() != null && (MediaTypes.isIndex(mediaType) || document.config() == null)
                ? index(repository, raw.digest(), mediaType, document, size, children, fetched, depth)
                : image(repository, raw.digest(), mediaType, document, size, fetched);
        return entry.attachedTo(subject(document));
    }

    /** The digest of the manifest's {@code subject}; null without one, or with one that is no digest (Distribution 2.8 does not check). */
    static @Nullable Digest subject(ManifestDocument document) {
        return document.subject() == null ? null : digestOrNull(document.subject().digest());
    }

    /**
     * A digest a manifest names, parsed once here; null for one that is none (Distribution 2.8 stores
     * what it is given) or that the catalog's columns cannot hold.
     */
    private static @Nullable Digest digestOrNull(@Nullable String text) {
        if (text == null || text.length() > ManifestEntry.DIGEST_COLUMN_LENGTH) {
            return null;
        }
        try {
            return Digest.parse(text);
        } catch (RegistryException e) {
            return null;
        }
    }

    private ManifestEntry index(RepositoryName repository, Digest digest, String mediaType, ManifestDocument document, long size,
                                List<ManifestEntry> children, AtomicLong fetched, int depth) {
        List<ManifestEntry.Child> platforms = new ArrayList<>();
        Map<Digest, ManifestEntry> childManifests = new HashMap<>();
        for (ManifestDocument.Descriptor descriptor : document.manifests()) {
            ManifestDocument.Platform platform = descriptor.platform();
            Digest childDigest = digestOrNull(descriptor.digest());
            if (childDigest == null) {
                // A digest the catalog cannot use (sha384 from a CNCF Distribution, or none at all): the platform is left out,
                // not the index.
                log.warn("The index {} of {} names a manifest by a digest the catalog cannot use; leaving that platform out", digest, repository);
                continue;
            }
            platforms.add(new ManifestEntry.Child(childDigest,
                    descriptor.mediaType() == null ? "" : descriptor.mediaType(), descriptor.size(),
                    platform == null ? null : platform.os(),
                    platform == null ? null : platform.architecture(),
                    platform == null ? null : platform.variant()));
            // Nested indexes are rare; one level below the top is as deep as the catalog reads.
            if (depth < 2 && !childManifests.containsKey(childDigest)) {
                Optional<RegistryClient.FetchedManifest> found = registry.manifest(repository, childDigest.toString());
                fetched.incrementAndGet();
                if (found.isPresent()) {
                    ManifestEntry child = read(repository, found.get(), children, fetched, depth + 1);
                    children.add(child);
                    childManifests.put(child.digest(), child);
                }
            }
        }
        return ManifestEntry.index(digest, mediaType, document.artifactType(), size, platforms, childManifests);
    }

    private ManifestEntry image(RepositoryName repository, Digest digest, String mediaType, ManifestDocument document, long size,
                                AtomicLong fetched) {
        ManifestDocument.Descriptor config = document.config();
        Digest configDigest = config == null ? null : digestOrNull(config.digest());
        List<ManifestEntry.Layer> layers = new ArrayList<>();
        if (document.layers() != null) {
            for (ManifestDocument.Descriptor layer : document.layers()) {
                layers.add(new ManifestEntry.Layer(layer.digest(), layer.size(), layer.mediaType() == null ? "" : layer.mediaType()));
            }
        }
        String artifactType = document.artifactType();
        ManifestDocument.ImageConfig image = null;
        if (config != null && configDigest != null && config.mediaType() != null && IMAGE_CONFIGS.contains(config.mediaType())) {
            image = readConfig(repository, configDigest, fetched);
        } else if (artifactType == null && config != null && config.mediaType() != null && !MediaTypes.OCI_EMPTY.equals(config.mediaType())) {
            // An artifact of the OCI 1.0 kind names its type in the config's media type.
            artifactType = config.mediaType();
        }
        ManifestEntry.RunConfig run = image == null || image.config() == null ? ManifestEntry.RunConfig.NONE : runConfig(image.config());
        return ManifestEntry.image(digest, mediaType, artifactType, size,
                configDigest,
                config == null ? null : config.mediaType(),
                config == null ? 0 : config.size(),
                image == null ? null : instant(image.created()),
                image == null ? null : image.os(),
                image == null ? null : image.architecture(),
                image == null ? null : image.variant(),
                run, layers);
    }

    private ManifestDocument.@Nullable ImageConfig readConfig(RepositoryName repository, Digest digest, AtomicLong fetched) {
        fetched.incrementAndGet();
        try {
            return registry.blob(repository, digest)
                    .map(bytes -> json.mapper().readValue(bytes, ManifestDocument.ImageConfig.class))
                    .orElse(null);
        } catch (tools.jackson.core.JacksonException e) {
            log.warn("The image config {} of {} is not readable JSON; the catalog shows the image without it", digest, repository);
            return null;
        }
    }

    private static ManifestEntry.RunConfig runConfig(ManifestDocument.RunSettings run) {
        return new ManifestEntry.RunConfig(
                run.entrypoint() == null ? List.of() : run.entrypoint(),
                run.cmd() == null ? List.of() : run.cmd(),
                run.env() == null ? List.of() : run.env(),
                run.labels() == null ? Map.of() : run.labels(),
                run.exposedPorts() == null ? List.of() : List.copyOf(run.exposedPorts().keySet()),
                run.user() == null || run.user().isEmpty() ? null : run.user());
    }

    private static @Nullable Instant instant(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            // The database keeps microseconds; cutting here keeps the catalog equal to itself after a round trip.
            return java.time.OffsetDateTime.parse(text).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
