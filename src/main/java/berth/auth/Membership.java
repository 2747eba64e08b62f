package berth.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account's role in a project. */
@Entity
@Table(name = "membership")
class Membership extends ProjectAccountEntity {

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
        super(project, account);
        this.role = role;
        this.createdAt = createdAt;
    }

    Role role() {
        return role;
    }

    void changeRole(Role role) {
        this.role = role;
    }
}
