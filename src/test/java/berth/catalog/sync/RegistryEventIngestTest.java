package berth.catalog.sync;

import berth.base.Caches;
import berth.catalog.CatalogSettings;
import berth.catalog.remote.RegistryClient;
import berth.catalog.store.CatalogStore;
import berth.catalog.store.RepositoryLocks;
import berth.oci.MediaTypes;
import berth.oci.RegistryEvent;
import berth.oci.RepositoryName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/** Events are where repository names and digests enter the catalog from a registry: parsed once, here. */
class RegistryEventIngestTest {

    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private final RegistryClient registry = mock(RegistryClient.class);
    private final ManifestImport manifests = mock(ManifestImport.class);
    private final CatalogStore store = mock(CatalogStore.class);
    private final PullCounts pulls = mock(PullCounts.class);
    private final RegistryEventIngest ingest;

    RegistryEventIngestTest() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CatalogSettings settings = new CatalogSettings(false, Duration.ofHours(6), 8, Duration.ofSeconds(30), 3, Duration.ofMinutes(1),
                1000, 1000);
        ingest = new RegistryEventIngest(registry, manifests, store, pulls, new RepositoryLocks(), Clock.systemUTC(),
                new CatalogMetrics(meters), settings, new Caches(meters, Clock.systemUTC()));
    }

    @Test
    void an_event_naming_a_repository_or_digest_the_catalog_cannot_hold_is_skipped_without_asking_anyone() {
        ingest.apply(event(RegistryEvent.Action.PUSH, "Team/App", DIGEST, "v1"));
        ingest.apply(event(RegistryEvent.Action.DELETE, "team/app", "sha256:992a", null));
        ingest.apply(event(RegistryEvent.Action.PULL, "team/../app", null, "v1"));

        verifyNoInteractions(registry, manifests, store, pulls);
    }

    @Test
    void a_pull_of_a_tag_is_counted_for_the_parsed_repository() {
        ingest.apply(event(RegistryEvent.Action.PULL, "team/app", DIGEST, "v1"));

        verify(pulls).add(new RepositoryName("team/app"), "v1", AT);
        verifyNoMoreInteractions(pulls);
        verifyNoInteractions(registry, manifests, store);
    }

    private static RegistryEvent event(RegistryEvent.Action action, String repository, @Nullable String digest, @Nullable String tag) {
        return new RegistryEvent("id-" + repository + action, AT, action,
                new RegistryEvent.Target(MediaTypes.OCI_MANIFEST, digest, 100, repository, tag), "someone", null);
    }
}
