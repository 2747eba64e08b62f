package berth.catalog.store;

import org.springframework.stereotype.Component;

/**
 * The catalog's four tables, which its reading side ({@code Catalog}) and its writing side
 * ({@link CatalogStore}) both work on: one bean, so the two are wired to the same set and a fifth
 * table is added in one place.
 */
@Component
public record CatalogTables(RepositoryEntries repositories, TagEntries tags, ManifestEntries manifests,
                            ReferrerEntries referrers) {
}
