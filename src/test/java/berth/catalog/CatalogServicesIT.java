package berth.catalog;

import berth.auth.Accounts;
import berth.auth.Projects;
import berth.base.ForbiddenException;
import berth.catalog.remote.DistributionConfig;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.ManifestEntry;
import berth.catalog.sync.CatalogSync;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import berth.testing.InProcessBerth;
import berth.testing.ProjectPeople;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog's services in process. They refuse by themselves: a MEMBER may read but not delete,
 * an outsider may do neither, and only system administrators run the full sync or see the
 * Distribution config - called directly, with no HTTP or console check in front. And the store
 * applies a full sync's snapshot of a repository without undoing newer observations.
 */
@InProcessBerth(data = "berth-catalog-refuse")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogServicesIT {

    private static final ProjectPeople PEOPLE = ProjectPeople.of("guarded");
    private static final String PROJECT = PEOPLE.project();

    @Autowired
    Accounts accounts;
    @Autowired
    Projects projects;
    @Autowired
    Catalog catalog;
    @Autowired
    TagDeletion deletion;
    @Autowired
    CatalogSync sync;
    @Autowired
    DistributionConfig distributionConfig;
    @Autowired
    CatalogStore store;

    @BeforeAll
    void people() {
        PEOPLE.create(accounts, projects);
    }

    @Test
    void catalog_reads_are_for_members_only() {
        RepositoryName repository = new RepositoryName(PROJECT + "/app");
        for (String reader : new String[] {PEOPLE.owner(), PEOPLE.member(), ADMIN_EMAIL}) {
            assertThat(catalog.repositories(reader, PROJECT, null, Catalog.RepositorySort.NAME, false, 0, 10).getTotalElements())
                    .isZero();
            assertThat(catalog.repository(reader, repository)).isEmpty();
            assertThat(catalog.tags(reader, repository, null, Catalog.TagSort.NAME, false, 0, 10)).isEmpty();
            assertThat(catalog.tag(reader, repository, "v1")).isEmpty();
        }
        assertThatThrownBy(() -> catalog.repositories(PEOPLE.outsider(), PROJECT, null, Catalog.RepositorySort.NAME, false, 0, 10))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining(PROJECT);
        assertThatThrownBy(() -> catalog.repository(PEOPLE.outsider(), repository)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> catalog.tags(PEOPLE.outsider(), repository, null, Catalog.TagSort.NAME, false, 0, 10))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> catalog.tag(PEOPLE.outsider(), repository, "v1")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> catalog.path(PEOPLE.outsider(), PROJECT, "app/tags")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void deletion_is_for_admins_only() {
        RepositoryName repository = new RepositoryName(PROJECT + "/app");
        for (String refused : new String[] {PEOPLE.member(), PEOPLE.outsider()}) {
            assertThatThrownBy(() -> deletion.deleteTag(refused, repository, "v1"))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("ADMIN");
            assertThatThrownBy(() -> deletion.deleteRepository(refused, repository))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("ADMIN");
        }
        assertThat(deletion.deleteTag(PEOPLE.owner(), repository, "v1")).as("nothing there, but the ADMIN may ask").isFalse();
    }

    @Test
    void full_sync_and_distribution_config_are_for_system_administrators() {
        for (String refused : new String[] {PEOPLE.owner(), PEOPLE.member(), PEOPLE.outsider()}) {
            assertThatThrownBy(() -> sync.start(refused)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> sync.status(refused)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> distributionConfig.fragmentFor(refused)).isInstanceOf(ForbiddenException.class);
        }
        assertThat(sync.status(ADMIN_EMAIL).state()).isNotNull();
        assertThat(distributionConfig.fragmentFor(ADMIN_EMAIL)).contains("auth:");
    }

    private static ManifestEntry image(char seed, long layerSize) {
        Digest digest = Digest.parse("sha256:" + String.valueOf(seed).repeat(64));
        return ManifestEntry.image(digest, "application/vnd.oci.image.manifest.v1+json", null, 500,
                Digest.parse("sha256:" + "c".repeat(63) + seed), "application/vnd.oci.image.config.v1+json", 100, null, "linux", "amd64", null,
                ManifestEntry.RunConfig.NONE, List.of(new ManifestEntry.Layer("sha256:" + "d".repeat(63) + seed, layerSize,
                        "application/vnd.oci.image.layer.v1.tar+gzip")));
    }

    @Test
    void a_snapshot_makes_the_tags_what_the_registry_listed_but_keeps_newer_observations() {
        RepositoryName repository = new RepositoryName(PROJECT + "/snapshot");
        ManifestEntry one = image('1', 1000);
        ManifestEntry two = image('2', 2000);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        store.applySnapshot(repository, List.of(one, two), List.of(
                new CatalogStore.ObservedTag("a", one.digest(), t0),
                new CatalogStore.ObservedTag("b", one.digest(), t0),
                new CatalogStore.ObservedTag("c", two.digest(), t0)), t0);
        assertThat(store.tagDigests(repository)).isEqualTo(Map.of("a", one.digest(), "b", one.digest(), "c", two.digest()));
        RepositorySummary summary = catalog.repository(PEOPLE.owner(), repository).orElseThrow();
        assertThat(summary.tagCount()).isEqualTo(3);
        assertThat(summary.totalSize()).as("each manifest once: 500 + 100 + its layer").isEqualTo(1600 + 2600);

        // An event after the listing moved "b" to two and pushed "d": the slower snapshot must not undo either.
        Instant listed = t0.plusSeconds(60);
        store.recordTag(repository, "b", two.digest(), listed.plusSeconds(1), listed.plusSeconds(1), true);
        store.recordTag(repository, "d", two.digest(), listed.plusSeconds(1), listed.plusSeconds(1), true);
        store.applySnapshot(repository, List.of(), List.of(
                new CatalogStore.ObservedTag("a", one.digest(), listed),
                new CatalogStore.ObservedTag("b", one.digest(), listed)), listed);
        assertThat(store.tagDigests(repository))
                .as("c was not listed and is older: gone; b and d were observed later: kept as observed")
                .isEqualTo(Map.of("a", one.digest(), "b", two.digest(), "d", two.digest()));
    }
}
