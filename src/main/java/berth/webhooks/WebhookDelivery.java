package berth.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One event for one endpoint, from the moment it is due until it is delivered or given up. */
@Entity
@Table(name = "webhook_delivery")
class WebhookDelivery {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private long seq;

    /** The delivery id receivers deduplicate on: the CloudEvent's id and the X-Berth-Delivery header, the same on every attempt. */
    @Column(nullable = false)
    private String id;
    @Column(name = "endpoint_id", nullable = false)
    private long endpointId;
    @Column(name = "event_id", nullable = false)
    private String eventId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private WebhookEvent event;
    private @Nullable String repository;
    @Column(nullable = false)
    private String payload;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private DeliveryStatus status;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "response_code")
    private @Nullable Integer responseCode;
    @Column(name = "duration_ms")
    private @Nullable Long durationMs;
    @Column(name = "last_error")
    private @Nullable String lastError;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @Column(name = "last_attempt_at")
    private @Nullable Instant lastAttemptAt;

    @SuppressWarnings("NullAway")
    protected WebhookDelivery() {
    }

    WebhookDelivery(String id, long endpointId, String eventId, WebhookEvent event, @Nullable String repository, String payload,
                    Instant createdAt) {
        this.id = id;
        this.endpointId = endpointId;
        this.eventId = eventId;
        this.event = event;
        this.repository = repository;
        this.payload = payload;
        this.status = DeliveryStatus.PENDING;
        this.createdAt = createdAt;
        this.nextAttemptAt = createdAt;
    }

    long seq() {
        return seq;
    }

    String id() {
        return id;
    }

    long endpointId() {
        return endpointId;
    }

    @Nullable String repository() {
        return repository;
    }

    String payload() {
        return payload;
    }

    DeliveryStatus status() {
        return status;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    int attempts() {
        return attempts;
    }

    void delivered(Instant at, int code, long millis) {
        attempted(at, code, millis, null);
        status = DeliveryStatus.DELIVERED;
    }

    void retryAt(Instant at, @Nullable Integer code, long millis, String error, Instant next) {
        attempted(at, code, millis, error);
        nextAttemptAt = next;
    }

    void gaveUp(Instant at, @Nullable Integer code, long millis, String error) {
        attempted(at, code, millis, error);
        status = DeliveryStatus.FAILED;
    }

    /** The retry button: once more, now. */
    void retryNow(Instant now) {
        status = DeliveryStatus.PENDING;
        nextAttemptAt = now;
    }

    private void attempted(Instant at, @Nullable Integer code, long millis, @Nullable String error) {
        attempts++;
        lastAttemptAt = at;
        responseCode = code;
        durationMs = millis;
        lastError = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
    }

    WebhookDeliveryView view() {
        return new WebhookDeliveryView(id, event, status, responseCode, attempts, durationMs, lastAttemptAt == null ? createdAt : lastAttemptAt,
                lastError);
    }
}
