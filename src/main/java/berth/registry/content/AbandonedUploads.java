package berth.registry.content;

import berth.registry.storage.FileInfo;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Removes upload sessions nobody finished. A client killed in the middle of a push leaves its
 * {@code _uploads/<uuid>/} behind - invisible to pulls, but using disk until someone deletes it.
 * The rule is CNCF Distribution's {@code uploadpurging}: a session that started more than
 * {@code berth.registry.uploads.purge-age} ago is deleted, checked every
 * {@code berth.registry.uploads.purge-interval}. Several instances may purge at once: deleting
 * what another instance just deleted is harmless.
 */
@Component
@ConditionalOnProperty(name = "berth.registry.mode", havingValue = "embedded", matchIfMissing = true)
public class AbandonedUploads {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);
    private static final String UPLOADS = "_uploads";

    private final StorageDriver driver;
    private final UploadSettings settings;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    AbandonedUploads(StorageDriver driver, UploadSettings settings, TaskScheduler scheduler, Clock clock) {
        this.driver = driver;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        Duration interval = settings.purgeInterval();
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        // Not right at start: a fleet restarting together should not all walk the storage at once. The walk
        // runs on a thread of its own: on an object store it can take minutes, and the scheduler's one thread
        // also renews the full-sync lease and flushes pull counts.
        scheduler.scheduleAtFixedRate(() -> Thread.ofVirtual().name("upload-purge").start(this::purgeLogged),
                scheduler.getClock().instant().plus(Duration.ofMinutes(10)), interval);
    }

    private void purgeLogged() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous walk is still going
        }
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Removed {} upload sessions started more than {} ago and never finished", purged, settings.purgeAge());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not purge abandoned upload sessions: {}", e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /** Deletes every upload session older than the purge age now; returns how many went. */
    public int purge() throws IOException {
        Instant cutoff = clock.instant().minus(settings.purgeAge());
        List<String> sessionDirectories = new ArrayList<>();
        try {
            driver.walk(StorageLayout.repositories(), (FileInfo info) -> {
                if (!info.directory()) {
                    return false;
                }
                String last = StorageLayout.lastSegment(info.path());
                if (UPLOADS.equals(last)) {
                    sessionDirectories.add(info.path());
                    return false;
                }
                return !last.startsWith("_"); // _manifests and _layers hold no sessions
            });
        } catch (PathNotFoundException e) {
            return 0;
        }
        int purged = 0;
        for (String uploads : sessionDirectories) {
            List<String> sessions;
            try {
                sessions = driver.list(uploads);
            } catch (PathNotFoundException gone) {
                continue;
            }
            for (String session : sessions) {
                try {
                    if (startedAt(session).isBefore(cutoff)) {
                        driver.delete(session);
                        purged++;
                    }
                } catch (PathNotFoundException gone) {
                    // Finished, cancelled or purged by another instance since the listing: nothing left to do.
                }
            }
        }
        return purged;
    }

    /** When a session began: its {@code startedat} file, or (missing or unreadable) when its directory last changed. */
    private Instant startedAt(String session) throws IOException {
        Optional<Instant> recorded = Uploads.startedAt(driver, session + "/startedat");
        return recorded.isPresent() ? recorded.get() : driver.stat(session).modified();
    }
}
