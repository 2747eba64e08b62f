package berth.base;

import berth.testing.MutableClock;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final Caches caches = new Caches(meters, clock);

    @Test
    void hits_and_misses_are_counted_under_the_caches_name() {
        Cache<String, String> cache = caches.build("berth.test", Caffeine.newBuilder().maximumSize(10));
        cache.put("a", "1");

        cache.getIfPresent("a");
        cache.getIfPresent("a");
        cache.getIfPresent("b");

        assertThat(meters.get("cache.gets").tag("cache", "berth.test").tag("result", "hit").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("cache.gets").tag("cache", "berth.test").tag("result", "miss").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void entries_expire_by_the_applications_clock() {
        Cache<String, String> cache = caches.build("berth.expiring", Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)));
        cache.put("a", "1");

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(cache.getIfPresent("a")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.getIfPresent("a")).isNull();
    }
}
