package berth.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The secret a person or a robot gives {@code docker login} as password. It belongs to exactly one
 * account and one project. The secret itself is only ever held encrypted.
 */
@Entity
@Table(name = "appkey")
class Appkey extends ProjectAccountEntity {

    enum Kind {
        /** A member's own key, shown behind "URL & Appkey"; logs in with the member's email. */
        PERSONAL,
        /** A named key for automation, created by an ADMIN; logs in with its own username. */
        PROJECT
    }

    /** What a project Appkey may do; a personal Appkey follows its owner's role. */
    enum Permission {
        PULL, PUSH, ROLE
    }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    private @Nullable String name;

    private @Nullable String username;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Permission permission;

    @Column(name = "secret_encrypted", nullable = false)
    private String secretEncrypted;

    @Column(nullable = false, unique = true)
    private String fingerprint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private @Nullable Instant expiresAt;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    @Column(name = "last_used_at")
    private @Nullable Instant lastUsedAt;

    @SuppressWarnings("NullAway")
    protected Appkey() {
        this.kind = Kind.PERSONAL;
        this.permission = Permission.ROLE;
        this.secretEncrypted = "";
        this.fingerprint = "";
        this.createdAt = Instant.EPOCH;
    }

    private Appkey(Project project, Account account, Kind kind, @Nullable String name, @Nullable String username,
            Permission permission, String secretEncrypted, String fingerprint, Instant createdAt, @Nullable Instant expiresAt) {
        super(project, account);
        this.kind = kind;
        this.name = name;
        this.username = username;
        this.permission = permission;
        this.secretEncrypted = secretEncrypted;
        this.fingerprint = fingerprint;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    static Appkey personal(Project project, Account account, SealedSecret secret, Instant now) {
        return new Appkey(project, account, Kind.PERSONAL, null, null, Permission.ROLE, secret.encrypted(), secret.fingerprint(), now, null);
    }

    static Appkey forProject(Project project, Account creator, String name, Permission permission, SealedSecret secret,
            Instant now, @Nullable Instant expiresAt) {
        String username = project.name() + "+" + name;
        return new Appkey(project, creator, Kind.PROJECT, name, username, permission, secret.encrypted(), secret.fingerprint(), now, expiresAt);
    }

    Kind kind() {
        return kind;
    }

    @Nullable String name() {
        return name;
    }

    /** The {@code docker login} username: the owner's email, or the project key's own name. */
    String loginName() {
        return kind == Kind.PROJECT && username != null ? username : account().email();
    }

    Permission permission() {
        return permission;
    }

    String secretEncrypted() {
        return secretEncrypted;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable Instant expiresAt() {
        return expiresAt;
    }

    @Nullable Instant lastUsedAt() {
        return lastUsedAt;
    }

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt)) && account().enabled();
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /**
     * Notes a use. A push asks for several tokens within seconds; "last used" to the minute is what
     * people read, and not writing the row on every token request keeps logins off the database's
     * write path.
     */
    void usedAt(Instant now) {
        if (lastUsedAt == null || lastUsedAt.isBefore(now.minus(java.time.Duration.ofMinutes(1)))) {
            this.lastUsedAt = now;
        }
    }

    /** An encrypted secret and its lookup fingerprint. */
    record SealedSecret(String encrypted, String fingerprint) {
    }
}
