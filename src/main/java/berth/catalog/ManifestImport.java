package berth.catalog;

import berth.oci.MediaTypes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
class ManifestImport {

    /** The artifact type of the manifest a tag is parked on while Distribution 2.8 deletes it. */
    static final String PLACEHOLDER_TYPE = "application/vnd.berth.tag-deletion-placeholder";

    private static final Logger log = LoggerFactory.getLogger(ManifestImport.class);
    private static final Set<String> IMAGE_CONFIGS = Set.of(MediaTypes.DOCKER_CONFIG, MediaTypes.OCI_CONFIG);

    private final RegistryClient registry;
    private final CatalogStore store;

    ManifestImport(RegistryClient registry, CatalogStore store) {
        this.registry = registry;
        this.store = store;
    }

    /** What importing a digest came to. */
    enum Outcome {
        /** Stored (now or before). */
        STORED,
        /** The registry has no such manifest (any more). */
        GONE,
        /** A deletion placeholder: the tag on it is as good as gone. */
        PLACEHOLDER
    }

    /** Makes sure the manifest {@code digest} of {@code repository} is stored; counts fetches in {@code fetched}. */
    Outcome ensure(String repository, String digest, java.util.concurrent.atomic.AtomicLong fetched) {
        if (store.hasManifest(digest)) {
            return Outcome.STORED;
        }
        Optional<ManifestEntry> imported = fetch(repository, digest, fetched, 0);
        if (imported.isEmpty()) {
            return Outcome.GONE;
        }
        if (PLACEHOLDER_TYPE.equals(imported.get().artifactType())) {
            return Outcome.PLACEHOLDER;
        }
        save(imported.get());
        return Outcome.STORED;
    }

    /** Like {@link #ensure}, for a manifest already fetched (by tag, in a full sync). */
    Outcome ensure(String repository, RegistryClient.FetchedManifest manifest, java.util.concurrent.atomic.AtomicLong fetched) {
        if (store.hasManifest(manifest.digest())) {
            return Outcome.STORED;
        }
        ManifestEntry imported = read(repository, manifest, fetched, 0);
        if (PLACEHOLDER_TYPE.equals(imported.artifactType())) {
            return Outcome.PLACEHOLDER;
        }
        save(imported);
        return Outcome.STORED;
    }

    private void save(ManifestEntry manifest) {
        try {
            store.saveManifest(manifest);
        } catch (DataIntegrityViolationException e) {
            if (!store.hasManifest(manifest.digest())) {
                throw e;
            }
        }
    }

    private Optional<ManifestEntry> fetch(String repository, String digest, java.util.concurrent.atomic.AtomicLong fetched, int depth) {
        Optional<RegistryClient.FetchedManifest> found = registry.manifest(repository, digest);
        fetched.incrementAndGet();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(read(repository, found.get(), fetched, depth));
    }

    private ManifestEntry read(String repository, RegistryClient.FetchedManifest raw, java.util.concurrent.atomic.AtomicLong fetched, int depth) {
        ManifestDocument document = RegistryClient.JSON.readValue(raw.body(), ManifestDocument.class);
        String mediaType = document.mediaType() != null ? document.mediaType() : raw.mediaType();
        long size = raw.body().length;
        if (document.manifests() != null && (MediaTypes.isIndex(mediaType) || document.config() == null)) {
            return index(repository, raw.digest(), mediaType, document, size, fetched, depth);
        }
        return image(repository, raw.digest(), mediaType, document, size, fetched);
    }

    private ManifestEntry index(String repository, String digest, String mediaType, ManifestDocument document, long size,
                                java.util.concurrent.atomic.AtomicLong fetched, int depth) {
        List<ManifestEntry.Child> children = new ArrayList<>();
        Map<String, ManifestEntry> childManifests = new HashMap<>();
        for (ManifestDocument.Descriptor descriptor : document.manifests()) {
            ManifestDocument.Platform platform = descriptor.platform();
            children.add(new ManifestEntry.Child(descriptor.digest(),
                    descriptor.mediaType() == null ? "" : descriptor.mediaType(), descriptor.size(),
                    platform == null ? null : platform.os(),
                    platform == null ? null : platform.architecture(),
                    platform == null ? null : platform.variant()));
            // Nested indexes are rare; one level below the top is as deep as the catalog reads.
            if (depth < 2 && !childManifests.containsKey(descriptor.digest())) {
                Optional<ManifestEntry> child = fetch(repository, descriptor.digest(), fetched, depth + 1);
                child.ifPresent(c -> {
                    save(c);
                    childManifests.put(c.digest(), c);
                });
            }
        }
        return ManifestEntry.index(digest, mediaType, document.artifactType(), size, children, childManifests);
    }

    private ManifestEntry image(String repository, String digest, String mediaType, ManifestDocument document, long size,
                                java.util.concurrent.atomic.AtomicLong fetched) {
        ManifestDocument.Descriptor config = document.config();
        List<ManifestEntry.Layer> layers = new ArrayList<>();
        if (document.layers() != null) {
            for (ManifestDocument.Descriptor layer : document.layers()) {
                layers.add(new ManifestEntry.Layer(layer.digest(), layer.size(), layer.mediaType() == null ? "" : layer.mediaType()));
            }
        }
        String artifactType = document.artifactType();
        ManifestDocument.ImageConfig image = null;
        if (config != null && config.mediaType() != null && IMAGE_CONFIGS.contains(config.mediaType())) {
            image = readConfig(repository, config.digest(), fetched);
        } else if (artifactType == null && config != null && config.mediaType() != null && !MediaTypes.OCI_EMPTY.equals(config.mediaType())) {
            // An artifact of the OCI 1.0 kind names its type in the config's media type.
            artifactType = config.mediaType();
        }
        ManifestEntry.RunConfig run = image == null || image.config() == null ? ManifestEntry.RunConfig.NONE : runConfig(image.config());
        return ManifestEntry.image(digest, mediaType, artifactType, size,
                config == null ? null : config.digest(),
                config == null ? null : config.mediaType(),
                config == null ? 0 : config.size(),
                image == null ? null : instant(image.created()),
                image == null ? null : image.os(),
                image == null ? null : image.architecture(),
                image == null ? null : image.variant(),
                run, layers);
    }

    private ManifestDocument.@Nullable ImageConfig readConfig(String repository, String digest, java.util.concurrent.atomic.AtomicLong fetched) {
        fetched.incrementAndGet();
        try {
            return registry.blob(repository, digest)
                    .map(bytes -> RegistryClient.JSON.readValue(bytes, ManifestDocument.ImageConfig.class))
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
