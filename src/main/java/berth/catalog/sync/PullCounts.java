package berth.catalog.sync;

import berth.catalog.store.CatalogStore;
import berth.oci.RepositoryName;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Pull counts, added up in memory for a moment and written in one transaction. A fleet of CI
 * runners pulls the same tag thousands of times a minute; one UPDATE per pull would make the
 * catalog's database the registry's bottleneck, one per tag per {@value #WINDOW_MILLIS} ms does not.
 */
@Component
public class PullCounts implements DisposableBean {

    static final long WINDOW_MILLIS = 200;

    private static final Logger log = LoggerFactory.getLogger(PullCounts.class);

    private final CatalogStore store;
    private final TaskScheduler scheduler;
    private Map<TagPulls.Key, TagPulls> pending = new HashMap<>();

    PullCounts(CatalogStore store, TaskScheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /** Pulls of one tag within a window: how many, and the latest. */
    public record TagPulls(Key key, long count, Instant latest) {

        public record Key(RepositoryName repository, String tag) {
        }

        TagPulls plus(TagPulls other) {
            return new TagPulls(key, count + other.count, latest.isAfter(other.latest) ? latest : other.latest);
        }
    }

    /** Counts one pull of {@code repository:tag} at {@code when}; written within {@value #WINDOW_MILLIS} ms. */
    void add(RepositoryName repository, String tag, Instant when) {
        TagPulls.Key key = new TagPulls.Key(repository, tag);
        boolean first;
        synchronized (this) {
            first = pending.isEmpty();
            pending.merge(key, new TagPulls(key, 1, when), TagPulls::plus);
        }
        if (first) {
            scheduler.schedule(this::flush, scheduler.getClock().instant().plus(Duration.ofMillis(WINDOW_MILLIS)));
        }
    }

    /** Writes what has been counted so far. */
    void flush() {
        Map<TagPulls.Key, TagPulls> batch;
        synchronized (this) {
            batch = pending;
            pending = new HashMap<>();
        }
        if (batch.isEmpty()) {
            return;
        }
        // Sorted, so two flushes (of two instances) lock tag rows in one order.
        List<TagPulls> sorted = batch.values().stream()
                .sorted(Comparator.comparing((TagPulls p) -> p.key().repository()).thenComparing(p -> p.key().tag()))
                .toList();
        try {
            try {
                store.pulled(sorted);
            } catch (ConcurrencyFailureException e) {
                // A full sync was writing the same tags and the database chose this side to give way: once more.
                log.debug("Pull counts gave way to another writer, writing them again: {}", e.getMessage());
                store.pulled(sorted);
            }
        } catch (RuntimeException e) {
            // Pull counts are statistics: losing one window's worth is better than holding pulls up.
            log.warn("Could not record {} tags' pull counts: {}", batch.size(), e.getMessage());
        }
    }

    @Override
    public void destroy() {
        flush();
    }
}
