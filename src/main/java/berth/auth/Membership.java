package berth.auth;

import berth.base.GeneratedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account's role in a project. */
@Entity
@Table(name = "membership")
class Membership extends GeneratedIdEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "project_id")
    private Project project;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    private Account account;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @SuppressWarnings("NullAway")
    protected Membership() {
        this.role = Role.MEMBER;
        this.createdAt = Instant.EPOCH;
    }

    Membership(Project project, Account account, Role role, Instant createdAt) {
        this.project = project;
        this.account = account;
        this.role = role;
        this.createdAt = createdAt;
    }

    Project project() {
        return project;
    }

    Account account() {
        return account;
    }

    Role role() {
        return role;
    }

    void changeRole(Role role) {
        this.role = role;
    }
}
