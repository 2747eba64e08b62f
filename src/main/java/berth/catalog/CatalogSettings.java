package berth.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the catalog keeps up with the registry ({@code BERTH_CATALOG_*}).
 *
 * @param syncOnStart run a full sync when Berth starts
 * @param fullSyncInterval how often a full sync repairs what events missed; zero turns it off
 * @param parallelism how many requests the catalog sends the registry at once
 * @param requestTimeout how long one registry request may take
 * @param retries how often a failed registry request is tried again, with growing pauses
 * @param syncLease how long the database lease of a full sync lasts unless renewed (every third of
 *                  it): when instances share a database, one whose holder crashed waits this long
 * @param tokenCacheSize how many repositories' read tokens the catalog keeps (one per repository)
 * @param rememberedEvents how many registry event ids are remembered to drop a delivered-twice event
 */
@ConfigurationProperties("berth.catalog")
public record CatalogSettings(
        @DefaultValue("true") boolean syncOnStart,
        @DefaultValue("6h") Duration fullSyncInterval,
        @DefaultValue("8") int parallelism,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("3") int retries,
        @DefaultValue("1m") Duration syncLease,
        @DefaultValue("100000") int tokenCacheSize,
        @DefaultValue("10000") int rememberedEvents) {
}
