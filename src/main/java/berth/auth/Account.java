package berth.auth;

import berth.base.GeneratedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Someone who signs in to the console with email and password and logs in to the registry with an Appkey. */
@Entity
@Table(name = "account")
public class Account extends GeneratedIdEntity {

    @Column(nullable = false, unique = true)
    private String email;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "system_admin", nullable = false)
    private boolean systemAdmin;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The console language chosen with the language switch; null when never chosen. */
    private @Nullable String language;

    protected Account() {
        this.email = "";
        this.passwordHash = "";
        this.createdAt = Instant.EPOCH;
    }

    Account(String email, String passwordHash, boolean systemAdmin, Instant createdAt) {
        this.email = normalizeEmail(email);
        this.passwordHash = passwordHash;
        this.systemAdmin = systemAdmin;
        this.createdAt = createdAt;
    }

    /** Emails compare case-insensitively, as people type them. */
    static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public String email() {
        return email;
    }

    String passwordHash() {
        return passwordHash;
    }

    void changePasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public boolean systemAdmin() {
        return systemAdmin;
    }

    public @Nullable String language() {
        return language;
    }

    void changeLanguage(@Nullable String language) {
        this.language = language;
    }

    public boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
