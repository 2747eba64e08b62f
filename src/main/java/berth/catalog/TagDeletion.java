package berth.catalog;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import berth.base.ConflictException;
import berth.base.RequestOrigin;
import berth.catalog.remote.CatalogJson;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.RepositoryLocks;
import berth.catalog.sync.ManifestImport;
import berth.oci.Digest;
import berth.oci.MediaTypes;
import berth.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Deletes tags and repositories through the registry, then from the catalog, for an ADMIN of the
 * project (anyone else is refused here, {@code ForbiddenException}).
 *
 * <p>A registry that deletes tags ({@code DELETE /v2/<name>/manifests/<tag>}: Berth's engine,
 * Distribution 3) is asked to. CNCF Distribution 2.8 deletes by digest only, which would take
 * every tag on that digest with it; there the tag is first pointed at a placeholder manifest of
 * its own (an empty OCI manifest with a unique annotation) and that placeholder's digest is deleted,
 * so sibling tags survive. Which way a registry works is learnt from its answer, not configured.
 */
@Service
public record TagDeletion(RegistryClient registry, CatalogStore store, RepositoryLocks locks, Clock clock, ProjectAccess access,
                          ApplicationEventPublisher publisher, ObjectProvider<TagProtection> protections, CatalogJson json) {

    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Digest EMPTY_CONFIG_DIGEST = Digest.sha256(EMPTY_CONFIG);

    /**
     * A tag or (with no tag) a whole repository deleted through the console or API, published for the
     * audit log with the person who asked: the registry's own events of it name only the catalog.
     *
     * @param via {@code api} or {@code console}
     * @param refused whether {@code actor} was refused (not an ADMIN of the project, or the tag is protected): nothing was
     *                deleted
     * @param reason why a protected tag was refused (the immutable-tag rule), null otherwise
     */
    public record Deleted(Instant at, String actor, @Nullable String address, String via, String repository,
                          @Nullable String tag, boolean refused, @Nullable String reason) {
    }

    /** Deletes a tag for {@code me}; false when neither registry nor catalog had it. */
    public boolean deleteTag(String me, RepositoryName repository, String tag) {
        require(me, repository, tag);
        refuseProtected(me, repository, tag, tag);
        boolean inRegistry = registry.head(repository, tag).isPresent();
        if (inRegistry) {
            RegistryClient.Deletion deletion = registry.deleteManifest(repository, tag);
            if (deletion == RegistryClient.Deletion.UNSUPPORTED) {
                deleteThroughPlaceholder(repository, tag);
            }
        }
        boolean inCatalog = store.hasTag(repository, tag);
        locks.inside(repository, () -> store.removeTag(repository, tag, clock.instant()));
        if (inRegistry || inCatalog) {
            published(me, repository, tag, false, null);
        }
        return inRegistry || inCatalog;
    }

    private void deleteThroughPlaceholder(RepositoryName repository, String tag) {
        registry.pushBlob(repository, EMPTY_CONFIG_DIGEST, EMPTY_CONFIG);
        Digest placeholder = registry.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, placeholderManifest(tag));
        RegistryClient.Deletion deletion = registry.deleteManifest(repository, placeholder.toString());
        if (deletion != RegistryClient.Deletion.DELETED && deletion != RegistryClient.Deletion.NOT_FOUND) {
            throw new RegistryRefusedException("DELETE placeholder of " + repository + ":" + tag, 400,
                    "the registry does not delete manifests; run it with storage.delete.enabled: true");
        }
    }

    /** A manifest only this deletion uses: its digest is unique, so deleting it touches no other tag. */
    private byte[] placeholderManifest(String tag) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("digest", EMPTY_CONFIG_DIGEST.toString());
        config.put("size", EMPTY_CONFIG.length);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", ManifestImport.PLACEHOLDER_TYPE);
        manifest.put("config", config);
        manifest.put("layers", List.of());
        manifest.put("annotations", Map.of("berth.deletes", tag + " " + UUID.randomUUID()));
        return json.mapper().writeValueAsBytes(manifest);
    }

    /** Deletes every tag of a repository for {@code me}, in the registry and the catalog; false when neither had it. */
    public boolean deleteRepository(String me, RepositoryName repository) {
        require(me, repository, null);
        List<String> tags = registry.tags(repository).orElse(List.of());
        for (String tag : tags) {
            refuseProtected(me, repository, tag, null);
        }
        boolean byDigest = false;
        Set<Digest> digests = new LinkedHashSet<>();
        for (String tag : tags) {
            if (!byDigest) {
                RegistryClient.Deletion deletion = registry.deleteManifest(repository, tag);
                if (deletion != RegistryClient.Deletion.UNSUPPORTED) {
                    continue;
                }
                byDigest = true;
            }
            registry.head(repository, tag).ifPresent(head -> digests.add(head.digest()));
        }
        for (Digest digest : digests) {
            registry.deleteManifest(repository, digest.toString());
        }
        boolean inCatalog = store.hasRepository(repository);
        locks.inside(repository, () -> store.removeRepository(repository));
        if (!tags.isEmpty() || inCatalog) {
            published(me, repository, null, false, null);
        }
        return !tags.isEmpty() || inCatalog;
    }

    /** Refuses anyone but an ADMIN of the project; a refusal is published too, for the audit log. */
    private void require(String me, RepositoryName repository, @Nullable String tag) {
        try {
            access.require(me, repository.project(), Action.DELETE);
        } catch (berth.base.ForbiddenException e) {
            published(me, repository, tag, true, null);
            throw e;
        }
    }

    /**
     * Why {@code repository:tag} may not be deleted or overwritten (say, an immutable-tag rule), for a
     * member of the project who sees the tag: the console marks such a tag and offers no delete.
     */
    public Optional<String> protection(String me, RepositoryName repository, String tag) {
        return protection(me, repository, tag, Locale.ENGLISH);
    }

    /** {@link #protection(String, RepositoryName, String)} in the console's language. */
    public Optional<String> protection(String me, RepositoryName repository, String tag, Locale locale) {
        access.require(me, repository.project(), Action.BROWSE);
        return protections.orderedStream().map(protection -> protection.protecting(repository.value(), tag, locale))
                .flatMap(Optional::stream).findFirst();
    }

    /** Whether some tag of {@code repository} may be protected, for a member of its project (see {@link TagProtection}). */
    public boolean mayProtectSomeTagOf(String me, RepositoryName repository) {
        access.require(me, repository.project(), Action.BROWSE);
        return protections.orderedStream().anyMatch(protection -> protection.mayProtectSomeTagOf(repository.value()));
    }

    /**
     * A protected tag (say, immutable) is refused as a conflict with the rule, naming it; nothing is deleted. The refusal is
     * published for the audit log, as a refused ADMIN check is, as the deletion asked for ({@code asked}: the tag, or null
     * for the whole repository).
     */
    private void refuseProtected(String me, RepositoryName repository, String tag, @Nullable String asked) {
        protections.orderedStream().map(protection -> protection.protecting(repository.value(), tag)).flatMap(Optional::stream)
                .findFirst().ifPresent(reason -> {
                    published(me, repository, asked, true, reason);
                    throw new ConflictException(reason);
                });
    }

    private void published(String me, RepositoryName repository, @Nullable String tag, boolean refused, @Nullable String reason) {
        RequestOrigin origin = RequestOrigin.current();
        publisher.publishEvent(new Deleted(clock.instant(), me, origin.address(), origin.via(), repository.value(), tag, refused, reason));
    }
}
