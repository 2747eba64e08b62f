package berth.catalog.web;

import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.catalog.Catalog;
import berth.catalog.RepositoryPath;
import berth.catalog.RepositorySummary;
import berth.catalog.TagDeletion;
import berth.catalog.sync.CatalogSync;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog over REST (HTTP Basic, email and console password). Repository names may hold
 * slashes ({@code team/tools/builder}), so everything after {@code /repositories/} is read by hand:
 * {@code …/repositories/{repo}}, {@code …/repositories/{repo}/tags} and
 * {@code …/repositories/{repo}/tags/{tag}} (a tag holds no slash, so the last {@code /tags/} splits).
 */
@RestController
record CatalogApi(Catalog catalog, CatalogSync sync, TagDeletion deletion) {

    /** A page of a list. {@code page} counts from 0. */
    record Listing<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

        static <T> Listing<T> of(Page<T> page) {
            return new Listing<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
        }
    }

    @GetMapping("/api/v1/catalog/sync")
    CatalogSync.SyncStatus syncStatus(Principal principal) {
        return sync.status(principal.getName());
    }

    /**
     * Starts a full sync: 202 with the status when one runs now on this instance (a running sync is
     * not started twice); 409 when another instance holds the full-sync lease and runs one.
     */
    @PostMapping("/api/v1/catalog/sync")
    ResponseEntity<CatalogSync.SyncStatus> startSync(Principal principal) {
        if (sync.start(principal.getName()) == CatalogSync.Start.RUNNING_ELSEWHERE) {
            String message = sync.status().message();
            throw new ConflictException((message == null ? "Another Berth instance is running a full sync." : message)
                    + " Try again when it has finished.");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(sync.status());
    }

    /**
     * A project's repositories. {@code sort}: name, lastPush or size; {@code direction}: asc or
     * desc; {@code filter}: a part of the name.
     */
    @GetMapping("/api/v1/projects/{project}/repositories")
    Listing<RepositorySummary> repositories(Principal principal, @PathVariable String project,
                                            @RequestParam(defaultValue = "0") int page,
                                            @RequestParam(defaultValue = "50") int size,
                                            @RequestParam(defaultValue = "name") String sort,
                                            @RequestParam(required = false) @Nullable String direction,
                                            @RequestParam(required = false) @Nullable String filter) {
        Catalog.RepositorySort order = switch (sort) {
            case "name" -> Catalog.RepositorySort.NAME;
            case "lastPush" -> Catalog.RepositorySort.LAST_PUSH;
            case "size" -> Catalog.RepositorySort.SIZE;
            default -> throw new InvalidRequestException("sort must be name, lastPush or size.");
        };
        boolean descending = descending(direction, order != Catalog.RepositorySort.NAME);
        return Listing.of(catalog.repositories(principal.getName(), project, filter, order, descending, page, size));
    }

    /** A repository, its tags, or one tag's details, by the shape of the path. */
    @GetMapping("/api/v1/projects/{project}/repositories/{*path}")
    Object read(Principal principal, @PathVariable String project, @PathVariable String path,
                @RequestParam(defaultValue = "0") int page,
                @RequestParam(defaultValue = "50") int size,
                @RequestParam(defaultValue = "pushedAt") String sort,
                @RequestParam(required = false) @Nullable String direction,
                @RequestParam(required = false) @Nullable String filter) {
        String me = principal.getName();
        RepositoryPath target = catalog.path(me, project, path);
        return switch (target.kind()) {
            case REPOSITORY -> catalog.repository(me, target.repository())
                    .orElseThrow(() -> new NotFoundException("No repository " + target.repository() + " in the catalog."));
            case TAGS -> {
                Catalog.TagSort order = switch (sort) {
                    case "pushedAt" -> Catalog.TagSort.PUSHED_AT;
                    case "name" -> Catalog.TagSort.NAME;
                    default -> throw new InvalidRequestException("sort must be pushedAt or name.");
                };
                boolean descending = descending(direction, order == Catalog.TagSort.PUSHED_AT);
                yield Listing.of(catalog.tags(me, target.repository(), filter, order, descending, page, size)
                        .orElseThrow(() -> new NotFoundException("No repository " + target.repository() + " in the catalog.")));
            }
            case TAG -> catalog.tag(me, target.repository(), target.tag())
                    .orElseThrow(() -> new NotFoundException("No tag " + target.tag() + " in " + target.repository() + "."));
        };
    }

    /** Deletes a tag or a whole repository, in the registry and then the catalog. ADMINs of the project only. */
    @DeleteMapping("/api/v1/projects/{project}/repositories/{*path}")
    ResponseEntity<Void> delete(Principal principal, @PathVariable String project, @PathVariable String path) {
        String me = principal.getName();
        RepositoryPath target = catalog.path(me, project, path);
        boolean found = switch (target.kind()) {
            case TAG -> deletion.deleteTag(me, target.repository(), target.tag());
            case REPOSITORY -> deletion.deleteRepository(me, target.repository());
            case TAGS -> throw new InvalidRequestException("Name one tag to delete: …/tags/{tag}.");
        };
        if (!found) {
            throw new NotFoundException("Nothing to delete at " + target.repository()
                    + (target.kind() == RepositoryPath.Kind.TAG ? ":" + target.tag() : "") + ".");
        }
        return ResponseEntity.noContent().build();
    }

    private static boolean descending(@Nullable String direction, boolean byDefault) {
        if (direction == null) {
            return byDefault;
        }
        return switch (direction.toLowerCase(Locale.ROOT)) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw new InvalidRequestException("direction must be asc or desc.");
        };
    }
}
