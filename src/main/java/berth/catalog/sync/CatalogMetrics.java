package berth.catalog.sync;

import berth.oci.RegistryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How well the catalog keeps up, for Prometheus:
 * <ul>
 * <li>{@code berth_catalog_full_sync_last_finished_seconds}: when this instance last finished a full
 *     sync (epoch seconds; 0 before its first), {@code berth_catalog_full_sync_last_outcome{outcome}}
 *     1 for that sync's outcome ({@code succeeded} or {@code failed}) and 0 for the other, and the
 *     repositories and tags it saw ({@code …_last_repositories}, {@code …_last_tags});</li>
 * <li>{@code berth_catalog_full_sync_duration_seconds{outcome}}: how long full syncs take;</li>
 * <li>{@code berth_catalog_full_sync_skipped_total}: runs this instance skipped because another
 *     instance held the full-sync lease;</li>
 * <li>{@code berth_catalog_event_lag_seconds{action}}: from a registry event's timestamp to its
 *     change in the catalog - how stale the console is after a push.</li>
 * </ul>
 * The gauges are per instance: with several, the one that ran the last sync has the newest
 * figures, so take {@code max} across instances.
 */
@Component
public class CatalogMetrics {

    private static final List<String> OUTCOMES = List.of("succeeded", "failed");

    private final MeterRegistry registry;
    private final AtomicReference<CatalogSync.@Nullable SyncStatus> lastFinished = new AtomicReference<>();
    private final Counter skipped;

    CatalogMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauge("berth.catalog.full.sync.last.finished", "seconds",
                "When this instance last finished a full sync, in seconds since the epoch; 0 before the first",
                last -> last.finishedAt() == null ? 0 : last.finishedAt().toEpochMilli() / 1000.0);
        gauge("berth.catalog.full.sync.last.repositories", null, "Repositories the registry listed in the last full sync",
                CatalogSync.SyncStatus::repositoriesTotal);
        gauge("berth.catalog.full.sync.last.tags", null, "Tags seen in the last full sync", CatalogSync.SyncStatus::tags);
        for (String outcome : OUTCOMES) {
            Gauge.builder("berth.catalog.full.sync.last.outcome", lastFinished,
                            last -> last.get() != null && outcome.equals(outcomeOf(last.get())) ? 1 : 0)
                    .description("1 for the outcome of this instance's last full sync, 0 otherwise")
                    .tag("outcome", outcome)
                    .register(registry);
        }
        this.skipped = Counter.builder("berth.catalog.full.sync.skipped")
                .description("Full syncs this instance skipped because another instance held the full-sync lease")
                .register(registry);
    }

    private void gauge(String name, @Nullable String unit, String description, ToDoubleFunction<CatalogSync.SyncStatus> value) {
        Gauge.builder(name, lastFinished, last -> last.get() == null ? 0 : value.applyAsDouble(last.get()))
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    void fullSyncFinished(CatalogSync.SyncStatus status) {
        lastFinished.set(status);
        Timer.builder("berth.catalog.full.sync.duration")
                .description("How long full catalog syncs take")
                .tag("outcome", outcomeOf(status))
                .register(registry)
                .record(Duration.ofNanos((long) (status.seconds() * 1e9)));
    }

    void fullSyncSkipped() {
        skipped.increment();
    }

    /** A registry event applied to the catalog {@code lag} after its timestamp (negative lags, from clock skew, count as zero). */
    void eventApplied(RegistryEvent.Action action, Duration lag) {
        Timer.builder("berth.catalog.event.lag")
                .description("From a registry event's timestamp to its change in the catalog")
                .tag("action", action.wireName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    private static String outcomeOf(CatalogSync.SyncStatus status) {
        return status.state().name().toLowerCase(Locale.ROOT);
    }
}
