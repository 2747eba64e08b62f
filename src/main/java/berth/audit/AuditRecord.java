package berth.audit;

import berth.base.GeneratedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit log. Pulls and failed logins are counted into one record per hour (and per
 * tag and account, or per name and address): {@link #occurrences} says how many.
 */
@Entity
@Table(name = "audit_record")
class AuditRecord extends GeneratedIdEntity {

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false)
    private String actor;

    private @Nullable String address;

    @Column(nullable = false)
    private String via;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuditAction action;

    private @Nullable String project;
    private @Nullable String repository;
    private @Nullable String tag;
    private @Nullable String digest;

    @Column(nullable = false)
    private String outcome;

    private @Nullable String detail;

    @Column(nullable = false)
    private long occurrences;

    /** The registry event's id, so an event handed over twice (at least once, after a crash) is recorded once. */
    @Column(name = "event_id")
    private @Nullable String eventId;

    @SuppressWarnings("NullAway")
    protected AuditRecord() {
    }

    AuditRecord(Instant at, String actor, @Nullable String address, String via, AuditAction action, @Nullable String project,
                @Nullable String repository, @Nullable String tag, @Nullable String digest, String outcome,
                @Nullable String detail, long occurrences, @Nullable String eventId) {
        this.at = at;
        this.actor = actor;
        this.address = address;
        this.via = via;
        this.action = action;
        this.project = project;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
        this.outcome = outcome;
        this.detail = detail;
        this.occurrences = occurrences;
        this.eventId = eventId;
    }

    void add(long more) {
        occurrences += more;
    }

    AuditEntry entry() {
        return new AuditEntry(at, actor, address, via, action, project, repository, tag, digest, outcome, detail, occurrences);
    }
}
