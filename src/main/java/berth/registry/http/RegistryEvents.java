package berth.registry.http;

import berth.oci.RegistryEvent;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes what happened as {@link RegistryEvent}s, after the change is in storage. Published
 * inside a (trivial) transaction, so listeners of either kind hear them: plain
 * {@code @EventListener}s at once, and {@code @TransactionalEventListener} /
 * {@code @ApplicationModuleListener}s on its commit - those drop events published outside any
 * transaction.
 */
@Component
final class RegistryEvents {

    private final ApplicationEventPublisher publisher;
    private final @Nullable TransactionTemplate transactions;
    private final Clock clock;

    RegistryEvents(ApplicationEventPublisher publisher, ObjectProvider<PlatformTransactionManager> transactionManager, Clock clock) {
        this.publisher = publisher;
        PlatformTransactionManager manager = transactionManager.getIfUnique();
        this.transactions = manager == null ? null : new TransactionTemplate(manager);
        this.clock = clock;
    }

    void publish(RegistryEvent.Action action, RegistryEvent.Target target, Exchange exchange) {
        RegistryEvent event = new RegistryEvent(UUID.randomUUID().toString(), clock.instant(), action, target,
                exchange.token().subject(), exchange.remoteAddress());
        if (transactions == null) {
            publisher.publishEvent(event);
        } else {
            transactions.executeWithoutResult(status -> publisher.publishEvent(event));
        }
    }
}
