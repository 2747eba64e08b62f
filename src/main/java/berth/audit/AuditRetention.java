package berth.audit;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Purges audit records older than {@code berth.audit.retention} (180 days unless set). */
@Component
record AuditRetention(AuditRecordRepository records, AuditSettings settings, Clock clock) {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    /** One delete statement, in the repository method's own transaction. */
    @Scheduled(initialDelayString = "1m", fixedDelayString = "${berth.audit.purge-interval:1h}")
    public void purge() {
        int purged = records.deleteOlderThan(clock.instant().minus(settings.retention()));
        if (purged > 0) {
            log.info("Purged {} audit records older than {}", purged, settings.retention());
        }
    }
}
