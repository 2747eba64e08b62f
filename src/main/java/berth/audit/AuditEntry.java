package berth.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An audit record as the REST API and the console show it.
 *
 * @param via {@code registry}, {@code console}, {@code api} or {@code system}
 * @param outcome {@code SUCCESS} or {@code FAILURE}
 * @param detail what changed, for access changes (e.g. a role change)
 * @param occurrences how many pulls or failed logins the record counts; 1 for the rest
 */
public record AuditEntry(Instant at, String actor, @Nullable String address, String via, AuditAction action,
                         @Nullable String project, @Nullable String repository, @Nullable String tag,
                         @Nullable String digest, String outcome, @Nullable String detail, long occurrences) {
}
