package berth.audit;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Purges audit records older than {@code berth.audit.retention} (180 days unless set). */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditRecordRepository records;
    private final AuditSettings settings;
    private final Clock clock;

    AuditRetention(AuditRecordRepository records, AuditSettings settings, Clock clock) {
        this.records = records;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "1m", fixedDelayString = "${berth.audit.purge-interval:1h}")
    @Transactional
    public void purge() {
        int purged = records.deleteOlderThan(clock.instant().minus(settings.retention()));
        if (purged > 0) {
            log.info("Purged {} audit records older than {}", purged, settings.retention());
        }
    }
}
