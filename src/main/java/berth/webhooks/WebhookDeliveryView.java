package berth.webhooks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A delivery as the API shows it.
 *
 * @param id the delivery id, as in the X-Berth-Delivery header and the CloudEvent's id
 * @param status {@code PENDING} (retried until delivered or given up), {@code DELIVERED} or {@code FAILED}
 * @param at the last attempt, or when the delivery was queued if none was made yet
 * @param error why the last attempt failed
 */
public record WebhookDeliveryView(String id, WebhookEvent event, DeliveryStatus status, @Nullable Integer responseCode,
                                  int attempts, @Nullable Long durationMs, Instant at, @Nullable String error) {
}
