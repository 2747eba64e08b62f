package berth.webhooks;

import berth.oci.RegistryEvent;
import java.util.Optional;

/** The event types an endpoint subscribes to; the names are the REST contract's, the CloudEvents types Berth's. */
public enum WebhookEvent {
    PUSH_ARTIFACT("io.berth.artifact.pushed"),
    DELETE_ARTIFACT("io.berth.artifact.deleted"),
    PULL_ARTIFACT("io.berth.artifact.pulled"),
    QUOTA_EXCEEDED("io.berth.quota.exceeded"),
    RETENTION_COMPLETED("io.berth.retention.completed"),
    GC_COMPLETED("io.berth.gc.completed"),
    /** What "Send test event" sends; no endpoint subscribes to it. */
    TEST("io.berth.test");

    private final String cloudEventType;

    WebhookEvent(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    String cloudEventType() {
        return cloudEventType;
    }

    /** The webhook event of a registry event, if it makes one: manifest pushes, deletions, manifest pulls. */
    static Optional<WebhookEvent> of(RegistryEvent event) {
        return switch (event.action()) {
            case PUSH -> event.isManifest() ? Optional.of(PUSH_ARTIFACT) : Optional.empty();
            case DELETE -> Optional.of(DELETE_ARTIFACT);
            case PULL -> event.isManifest() ? Optional.of(PULL_ARTIFACT) : Optional.empty();
            case MOUNT -> Optional.empty();
        };
    }
}
