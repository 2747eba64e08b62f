package berth.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the audit log is kept ({@code BERTH_AUDIT_*}).
 *
 * @param retention records older than this are purged
 * @param purgeInterval how often the purge runs
 * @param pullFlushInterval how often the pulls counted in memory are added to the log
 */
@ConfigurationProperties("berth.audit")
record AuditSettings(
        @DefaultValue("180d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue("30s") Duration pullFlushInterval) {
}
