package berth.audit;

import berth.policy.RetentionChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Records changes of a project's policies (POLICY_CHANGED), in the transaction of the change. */
@Component
class PolicyAudit {

    private final AuditRecordRepository records;

    PolicyAudit(AuditRecordRepository records) {
        this.records = records;
    }

    @EventListener
    @Transactional
    void onRetentionChange(RetentionChanged change) {
        records.save(new AuditRecord(change.at(), change.actor(), change.address(), change.via(), AuditAction.POLICY_CHANGED,
                change.project(), null, null, null, AuditLog.SUCCESS, change.detail(), 1, null));
    }
}
