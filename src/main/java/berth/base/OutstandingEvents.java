package berth.base;

import java.time.Duration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands events whose listener failed (the database or the registry briefly away) to it again while
 * Berth runs, not only at the next start-up. Every listener takes an event twice without harm.
 */
@Component
class OutstandingEvents {

    /** Longer than any listener takes, so one still at work is not handed the event a second time. */
    private static final Duration OLDER_THAN = Duration.ofMinutes(2);

    private final IncompleteEventPublications publications;

    OutstandingEvents(IncompleteEventPublications publications) {
        this.publications = publications;
    }

    @Scheduled(initialDelayString = "2m", fixedDelayString = "1m")
    void resubmit() {
        publications.resubmitIncompletePublicationsOlderThan(OLDER_THAN);
    }
}
