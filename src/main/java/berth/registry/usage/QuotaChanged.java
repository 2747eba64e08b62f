package berth.registry.usage;

import berth.base.AuditedChange;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A system administrator set a project's quota ({@code QUOTA_CHANGED} in the audit log); published
 * in the transaction that sets it, so the record commits with the change.
 *
 * @param before the quota set before, null if none was (the default applied)
 * @param after the new quota, null for unlimited
 */
public record QuotaChanged(Instant at, String actor, @Nullable String address, String via, String project,
                           @Nullable Long before, @Nullable Long after) implements AuditedChange {

    @Override
    public String action() {
        return "QUOTA_CHANGED";
    }

    @Override
    public String detail() {
        return "quota " + (before == null ? "default" : Quotas.bytes(before)) + " -> " + (after == null ? "unlimited" : Quotas.bytes(after));
    }
}
