package berth.policy.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention runs ({@code BERTH_RETENTION_*}).
 *
 * @param lease how long a project's run lease lasts unless renewed (every third of it): a run whose
 *              instance died blocks the project's next run this long, then is marked FAILED
 */
@ConfigurationProperties("berth.retention")
record RetentionSettings(@DefaultValue("1m") Duration lease) {
}
