package berth.webhooks;

/** Where a delivery stands: {@code PENDING} (retried until delivered or given up), {@code DELIVERED} or {@code FAILED}. */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED
}
