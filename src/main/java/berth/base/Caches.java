package berth.base;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Builds Berth's in-memory caches (Caffeine): each reports hits, misses and evictions to
 * Micrometer as {@code cache.*{cache=<name>}}, and expires entries by the application's
 * {@link Clock}, so a cache ages exactly as the code that checks times around it (and as a test
 * that moves the clock).
 */
@Component
public record Caches(MeterRegistry meters, Clock clock) {

    /** A cache made by {@code builder} (size, expiry), with statistics, named {@code name} in the metrics. */
    public <K1 extends K, V1 extends V, K, V> Cache<K1, V1> build(String name, Caffeine<K, V> builder) {
        Cache<K1, V1> cache = builder.ticker(this::nanos).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, cache, name);
        return cache;
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
