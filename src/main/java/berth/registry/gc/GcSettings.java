package berth.registry.gc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Garbage collection of the embedded engine ({@code BERTH_REGISTRY_GC_*}).
 *
 * @param grace a blob or manifest uploaded, mounted, pushed or found by a HEAD less than this long
 *              before a run starts is never collected by it (GitLab's review delay is 24 h too)
 * @param schedule when runs start by themselves: a Spring cron expression (second minute hour day
 *                 month weekday), or {@code -} for never
 * @param deleteUntagged whether scheduled runs (and API runs that do not say) also delete manifests
 *                       no tag references; off, since Kubernetes pins images by digest
 * @param lease how long the database lease of a run lasts unless renewed (every third of it): when
 *              instances share a database, one whose holder crashed waits this long
 */
@ConfigurationProperties("berth.registry.gc")
record GcSettings(
        @DefaultValue("24h") Duration grace,
        @DefaultValue("0 30 3 * * *") String schedule,
        @DefaultValue("false") boolean deleteUntagged,
        @DefaultValue("1m") Duration lease) {
}
