package berth.catalog;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import berth.base.BerthSettings;
import berth.catalog.store.CatalogTables;
import berth.catalog.store.ManifestEntry;
import berth.catalog.store.ReferrerEntry;
import berth.catalog.store.RepositoryEntry;
import berth.catalog.store.TagEntry;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the console and the REST API read: repositories, tags and tag details, from the catalog
 * only - never from the registry - in pages. Every method takes the person asking and refuses
 * ({@code ForbiddenException}) someone who is not a member of the project.
 */
@Service
@Transactional(readOnly = true)
public class Catalog {

    /** Largest page anyone gets: the console shows 50, scripts may page faster. */
    public static final int MAX_PAGE_SIZE = 200;

    public enum RepositorySort {
        NAME("name"), LAST_PUSH("lastPushAt"), SIZE("totalSize");

        private final String property;

        RepositorySort(String property) {
            this.property = property;
        }
    }

    public enum TagSort {
        PUSHED_AT("pushedAt"), NAME("name");

        private final String property;

        TagSort(String property) {
            this.property = property;
        }
    }

    private final CatalogTables tables;
    private final BerthSettings settings;
    private final ProjectAccess access;

    Catalog(CatalogTables tables, BerthSettings settings, ProjectAccess access) {
        this.tables = tables;
        this.settings = settings;
        this.access = access;
    }

    /**
     * What the part of a console or API path after {@code /repositories/} names, for a member of
     * the project. A path that is a catalogued repository's whole name is that repository, so
     * {@code tools/tags} and {@code a/b/tags/c} open as the repositories they are; any other path is
     * read by its shape ({@link RepositoryPath#parse}).
     */
    public RepositoryPath path(String me, String project, String path) {
        access.require(me, project, Action.BROWSE);
        return RepositoryPath.parse(project, path, name -> tables.repositories().findByName(name).isPresent());
    }

    /** A page of a project's repositories, optionally only those whose name contains {@code filter}. */
    public Page<RepositorySummary> repositories(String me, String project, @Nullable String filter, RepositorySort sort,
                                                boolean descending, int page, int size) {
        access.require(me, project, Action.BROWSE);
        Pageable pageable = PageRequest.of(Math.max(0, page), clamp(size), order(sort.property, descending));
        Page<RepositoryEntry> found = filter == null || filter.isBlank()
                ? tables.repositories().findByProject(project, pageable)
                : tables.repositories().findByProjectAndNameContaining(project, filter.trim(), pageable);
        return found.map(RepositorySummary::of);
    }

    public Optional<RepositorySummary> repository(String me, RepositoryName name) {
        access.require(me, name.project(), Action.BROWSE);
        return tables.repositories().findByName(name).map(RepositorySummary::of);
    }

    /** A page of a repository's tags; empty when the catalog has no such repository. */
    public Optional<Page<TagSummary>> tags(String me, RepositoryName repository, @Nullable String filter, TagSort sort,
                                           boolean descending, int page, int size) {
        access.require(me, repository.project(), Action.BROWSE);
        Optional<RepositoryEntry> repo = tables.repositories().findByName(repository);
        if (repo.isEmpty()) {
            return Optional.empty();
        }
        Pageable pageable = PageRequest.of(Math.max(0, page), clamp(size), order(sort.property, descending));
        long id = repo.get().id();
        Page<TagEntry> found = filter == null || filter.isBlank()
                ? tables.tags().findByRepositoryId(id, pageable)
                : tables.tags().findByRepositoryIdAndNameContainingIgnoreCase(id, filter.trim(), pageable);
        String host = settings.registryHost();
        return Optional.of(found.map(t -> TagSummary.of(repository, t, host)));
    }

    public Optional<TagDetails> tag(String me, RepositoryName repository, String tag) {
        access.require(me, repository.project(), Action.BROWSE);
        Optional<RepositoryEntry> repo = tables.repositories().findByName(repository);
        Optional<TagEntry> entry = repo.flatMap(r -> tables.tags().findByRepositoryIdAndName(r.id(), tag));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Optional<ManifestEntry> manifest = tables.manifests().findById(entry.get().digest());
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        ManifestEntry m = manifest.get();
        TagSummary summary = TagSummary.of(repository, entry.get(), settings.registryHost());
        if (!m.isIndex()) {
            return Optional.of(new TagDetails(summary, m.artifactType(), m.size(), m.createdAt(), TagDetails.image(m), List.of(),
                    attached(repository, repo.get().id(), m.digest())));
        }
        Map<Digest, ManifestEntry> children = tables.manifests().findAllById(m.children().stream().map(ManifestEntry.Child::digest).toList())
                .stream().collect(Collectors.toMap(ManifestEntry::digest, Function.identity()));
        List<TagDetails.Platform> platforms = new ArrayList<>();
        for (ManifestEntry.Child child : m.children()) {
            ManifestEntry image = children.get(child.digest());
            platforms.add(new TagDetails.Platform(child.digest(), child.mediaType(),
                    image == null ? child.size() : image.totalSize(), child.os(), child.architecture(), child.variant(),
                    image == null || image.isIndex() ? null : TagDetails.image(image)));
        }
        return Optional.of(new TagDetails(summary, m.artifactType(), m.size(), m.createdAt(), null, platforms,
                attached(repository, repo.get().id(), m.digest())));
    }

    /**
     * The artifacts of {@code repository} attached to {@code subject}: those pushed by digest (the
     * catalog's records of push events, the only source CNCF Distribution 2.8 leaves) and those pushed
     * under a tag.
     */
    private List<TagDetails.Attached> attached(RepositoryName repository, long repositoryId, Digest subject) {
        List<ReferrerEntry> byDigest = tables.referrers().findByRepositoryAndSubjectDigest(repository, subject);
        Map<Digest, ManifestEntry> stored = tables.manifests().findAllById(byDigest.stream().map(ReferrerEntry::digest).toList())
                .stream().collect(Collectors.toMap(ManifestEntry::digest, Function.identity()));
        List<TagDetails.Attached> attached = new ArrayList<>();
        for (ReferrerEntry referrer : byDigest) {
            ManifestEntry m = stored.get(referrer.digest());
            if (m != null) {
                attached.add(new TagDetails.Attached(m.digest(), m.artifactType(), m.mediaType(), m.totalSize(), referrer.pushedAt(), null));
            }
        }
        for (TagEntry tagged : tables.tags().taggedAttachedTo(repositoryId, subject)) {
            if (attached.stream().noneMatch(a -> a.digest().equals(tagged.digest()))) {
                ManifestEntry m = tables.manifests().findById(tagged.digest()).orElseThrow();
                attached.add(new TagDetails.Attached(m.digest(), m.artifactType(), m.mediaType(), m.totalSize(), tagged.pushedAt(),
                        tagged.name()));
            }
        }
        attached.sort(java.util.Comparator.comparing(TagDetails.Attached::pushedAt).thenComparing(a -> a.digest().toString()));
        return attached;
    }

    /** The chosen order, then by name so equal values page stably. */
    private static Sort order(String property, boolean descending) {
        Sort sort = Sort.by(descending ? Sort.Direction.DESC : Sort.Direction.ASC, property);
        return property.equals("name") ? sort : sort.and(Sort.by("name"));
    }

    private static int clamp(int size) {
        return Math.min(MAX_PAGE_SIZE, Math.max(1, size));
    }
}
