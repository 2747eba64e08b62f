package berth.registry.http;

import berth.oci.Digest;
import berth.oci.RegistryEvent;
import berth.registry.content.ProtectedTagRefusal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes what happened as {@link RegistryEvent}s, after the change is in storage and before the
 * client hears of its success.
 *
 * <p>A change (push, delete, mount) is published inside a short database transaction of its own:
 * storage is not transactional, but Spring Modulith's event publication registry stores the event
 * for each of its {@code @ApplicationModuleListener}s (catalog, audit, webhooks) when that
 * transaction commits, so once the client has its 201 the event survives a kill -9 and is handed
 * over again at start-up. A pull is published without one: pulls are counted, not audited one by
 * one, and a database write per manifest GET would cost every pull a round trip; its listeners are
 * plain {@code @EventListener}s.
 */
@Component
record RegistryEvents(ApplicationEventPublisher publisher, TransactionTemplate transactions, Clock clock) {

    void publish(RegistryEvent.Action action, RegistryEvent.Target target, Exchange exchange) {
        publish(action, target, exchange, clock.instant());
    }

    /** The time a request was answered, for an event published once the answer is written. */
    Instant now() {
        return clock.instant();
    }

    /**
     * Records a push or delete that a protected tag refused, for the audit log, in a transaction of its
     * own (the refusal changes nothing else), then lets the refusal go on to the client.
     */
    void refused(String action, ProtectedTagRefusal refusal, @Nullable Digest digest, Exchange exchange) {
        RegistryRefusal refused = new RegistryRefusal(action, clock.instant(), exchange.token().subject(),
                exchange.remoteAddress(), exchange.name().project(), exchange.name().value(), refusal.tag().value(),
                digest == null ? null : digest.toString(), refusal.getMessage());
        transactions.executeWithoutResult(status -> publisher.publishEvent(refused));
    }

    void publish(RegistryEvent.Action action, RegistryEvent.Target target, Exchange exchange, Instant at) {
        RegistryEvent event = new RegistryEvent(UUID.randomUUID().toString(), at, action, target,
                exchange.token().subject(), exchange.remoteAddress());
        if (action == RegistryEvent.Action.PULL) {
            publisher.publishEvent(event);
        } else {
            transactions.executeWithoutResult(status -> publisher.publishEvent(event));
        }
    }
}
