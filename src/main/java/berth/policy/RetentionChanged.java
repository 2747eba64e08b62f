package berth.policy;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A project's retention policy was changed, published in the transaction that changes it (the audit
 * log records it as POLICY_CHANGED in the same transaction).
 *
 * @param address the client's address, if the change came from a request
 * @param via {@code console} or {@code api}
 * @param detail one line on what the policy now says
 */
public record RetentionChanged(Instant at, String actor, @Nullable String address, String via, String project, String detail) {
}
