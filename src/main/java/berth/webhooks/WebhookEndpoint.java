package berth.webhooks;

import berth.auth.SealedSecrets;
import berth.base.GeneratedIdEntity;
import berth.policy.Glob;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where a project's events go. The secret signs each body; it is stored sealed ({@link SealedSecrets})
 * and never returned by the API. Rows from before sealing hold it as given until start-up seals them.
 */
@Entity
@Table(name = "webhook_endpoint")
class WebhookEndpoint extends GeneratedIdEntity {

    @Column(nullable = false)
    private String project;
    @Column(nullable = false)
    private String url;
    /** Comma-separated {@link WebhookEvent} names. */
    @Column(nullable = false)
    private String events;
    @Column(nullable = false)
    private String repositories;
    @Column(nullable = false)
    private String secret;
    @Column(name = "secret_sealed", nullable = false)
    private boolean secretSealed;
    @Column(nullable = false)
    private boolean enabled;
    @Column(name = "disabled_reason")
    private @Nullable String disabledReason;
    @Column(name = "failing_since")
    private @Nullable Instant failingSince;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @SuppressWarnings("NullAway")
    protected WebhookEndpoint() {
    }

    /** @param secret sealed by {@link SealedSecrets#seal} */
    WebhookEndpoint(String project, String url, Set<WebhookEvent> events, String repositories, String secret,
                    boolean enabled, Instant createdAt) {
        this.project = project;
        this.createdAt = createdAt;
        change(url, events, repositories, secret, enabled);
    }

    /** @param secret sealed by {@link SealedSecrets#seal}; null keeps the one there is */
    void change(String url, Set<WebhookEvent> events, String repositories, @Nullable String secret, boolean enabled) {
        this.url = url;
        this.events = events.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        this.repositories = repositories;
        if (secret != null) {
            this.secret = secret;
            this.secretSealed = true;
        }
        this.enabled = enabled;
        if (enabled) {
            this.disabledReason = null;
            this.failingSince = null;
        }
    }

    String project() {
        return project;
    }

    String url() {
        return url;
    }

    Set<WebhookEvent> events() {
        Set<WebhookEvent> set = EnumSet.noneOf(WebhookEvent.class);
        Arrays.stream(events.split(",")).filter(s -> !s.isEmpty()).map(WebhookEvent::valueOf).forEach(set::add);
        return set;
    }

    String repositories() {
        return repositories;
    }

    /** The secret to sign with. */
    String secret(SealedSecrets secrets) {
        return secretSealed ? secrets.open(secret) : secret;
    }

    /** Seals a secret stored before secrets were sealed; false if it already was. */
    boolean seal(SealedSecrets secrets) {
        if (secretSealed) {
            return false;
        }
        secret = secrets.seal(secret);
        secretSealed = true;
        return true;
    }

    boolean enabled() {
        return enabled;
    }

    @Nullable String disabledReason() {
        return disabledReason;
    }

    /**
     * Whether this endpoint wants {@code event} of {@code repository} (the full name, {@code project/...});
     * an event of no repository (a garbage collection run) goes to every endpoint subscribed to it.
     */
    boolean wants(WebhookEvent event, @Nullable String repository) {
        if (!enabled || !events().contains(event)) {
            return false;
        }
        if (repository == null) {
            return true;
        }
        String path = repository.startsWith(project + "/") ? repository.substring(project.length() + 1) : repository;
        // Saved through Webhooks, which refuses a glob that does not parse.
        return Glob.ofRepositories("repositories", repositories).matches(path);
    }

    /** A delivery got through: the endpoint is healthy again. */
    void succeeded() {
        failingSince = null;
    }

    /** A delivery failed; after {@code limit} of nothing but failures the endpoint is switched off, with the reason. */
    void failed(Instant now, java.time.Duration limit, String reason) {
        if (failingSince == null) {
            failingSince = now;
        } else if (!now.isBefore(failingSince.plus(limit))) {
            enabled = false;
            disabledReason = "Disabled automatically at " + now + " after failing since " + failingSince + ": " + reason;
        }
    }
}
