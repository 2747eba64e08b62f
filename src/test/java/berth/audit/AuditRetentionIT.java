package berth.audit;

import berth.testing.InProcessBerth;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log's retention: a purge deletes the records older than {@code berth.audit.retention}
 * and keeps the younger ones, in a transaction of its own (nothing around it opens one).
 */
@InProcessBerth(data = "berth-audit-retention", properties = "berth.audit.retention=30d")
class AuditRetentionIT {

    @Autowired
    AuditRetention retention;

    @Test
    void a_purge_deletes_the_records_older_than_the_retention_and_keeps_the_younger() {
        Instant now = retention.clock().instant();
        long old = retention.records().save(record(now.minus(Duration.ofDays(31)), "old@example.test")).id();
        long young = retention.records().save(record(now.minus(Duration.ofDays(29)), "young@example.test")).id();

        retention.purge();

        assertThat(retention.records().existsById(old)).as("older than 30 days").isFalse();
        assertThat(retention.records().existsById(young)).as("younger than 30 days").isTrue();
    }

    private static AuditRecord record(Instant at, String actor) {
        return new AuditRecord(at, actor, null, "api", AuditAction.LOGIN_FAILED, null, null, null, null, "refused", null, 1, null);
    }
}
