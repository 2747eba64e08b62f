package berth.registry.http;

import berth.oci.RegistryEvent;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Publishes what happened as {@link RegistryEvent}s, after the change is in storage. Storage is not
 * transactional, so neither is the event: listeners are plain {@code @EventListener}s (a
 * {@code @TransactionalEventListener} would never hear it). Opening a database transaction per
 * event only to satisfy one cost every pull a database round trip for nothing.
 */
@Component
final class RegistryEvents {

    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    RegistryEvents(ApplicationEventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    void publish(RegistryEvent.Action action, RegistryEvent.Target target, Exchange exchange) {
        publisher.publishEvent(new RegistryEvent(UUID.randomUUID().toString(), clock.instant(), action, target,
                exchange.token().subject(), exchange.remoteAddress()));
    }
}
