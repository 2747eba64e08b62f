package berth.policy;

import berth.base.AuditedChange;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A project's policy changed (an immutable-tag rule added or removed, retention rules replaced),
 * published inside the transaction of the change, so a listener that writes in it (the audit log)
 * commits or rolls back with it. The policy module knows nothing of its listeners.
 *
 * @param at when
 * @param actor the email of who changed it
 * @param address the client's address, if the change came from a request
 * @param via {@code console} or {@code api}
 * @param project the project whose policy changed
 * @param detail one line on what changed, e.g. {@code immutable-tag rule 3 added: repositories '**', tags 'v*'}
 */
public record PolicyChanged(Instant at, String actor, @Nullable String address, String via, String project, String detail)
        implements AuditedChange {

    @Override
    public String action() {
        return "POLICY_CHANGED";
    }
}
