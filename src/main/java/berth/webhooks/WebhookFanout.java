package berth.webhooks;

import berth.auth.ProjectAccess;
import berth.base.Notice;
import berth.oci.RegistryEvent;
import berth.oci.RegistryEventBatch;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns registry events into pending deliveries, one per endpoint that wants the event. Changes come
 * from the event publication registry (stored before the push's 201; an event handed over twice
 * makes no second delivery); pulls come in-process and are looked at only while some endpoint
 * subscribes to {@code PULL_ARTIFACT}, so pulls cost nothing otherwise.
 */
@Component
class WebhookFanout {

    private static final Logger log = LoggerFactory.getLogger(WebhookFanout.class);

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final CloudEvents cloudEvents;
    private final WebhookSender sender;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile boolean pullsWanted = true;

    WebhookFanout(WebhookEndpoints endpoints, WebhookDeliveries deliveries, CloudEvents cloudEvents, WebhookSender sender,
                  TransactionTemplate transactions, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.cloudEvents = cloudEvents;
        this.sender = sender;
        this.transactions = transactions;
        this.clock = clock;
    }

    // Only manifest pushes and deletions: a blob push or a mount would cost a stored publication and a
    // transaction that makes nothing, and a push of a small image publishes two blobs for one manifest.
    @ApplicationModuleListener(id = "berth.webhooks.registry-events",
            condition = "#event.action() == T(berth.oci.RegistryEvent$Action).DELETE"
                    + " || (#event.action() == T(berth.oci.RegistryEvent$Action).PUSH && #event.isManifest())")
    void onChange(RegistryEvent event) {
        fanOut(event);
    }

    /** A bulk change (garbage collection's removal of untagged manifests): each event fanned out as if it came alone. */
    @ApplicationModuleListener(id = "berth.webhooks.registry-event-batches")
    void onChanges(RegistryEventBatch batch) {
        Map<String, List<WebhookEndpoint>> byProject = new HashMap<>();
        batch.events().forEach(event -> fanOut(event, project -> byProject.computeIfAbsent(project, endpoints::findByProjectOrderById)));
    }

    @EventListener(condition = "#event.action() == T(berth.oci.RegistryEvent$Action).PULL")
    void onPull(RegistryEvent event) {
        if (pullsWanted) {
            transactions.executeWithoutResult(status -> fanOut(event));
        }
    }

    /**
     * What other modules tell the world ({@link Notice}: quota refusals, garbage collection runs, and
     * whatever implements it next): to each endpoint of the project (of every project, for a notice
     * about the whole registry) that subscribed to its type.
     */
    @ApplicationModuleListener(id = "berth.webhooks.notices")
    void onNotice(Notice notice) {
        WebhookEvent type;
        try {
            type = WebhookEvent.valueOf(notice.type());
        } catch (IllegalArgumentException e) {
            log.warn("A notice of type {} has no webhook event; it is not delivered", notice.type());
            return;
        }
        List<WebhookEndpoint> candidates = notice.project() == null ? endpoints.findAll()
                : endpoints.findByProjectOrderById(notice.project());
        queue(candidates.stream().filter(e -> e.wants(type, notice.repository())).toList(), notice.id(), type, notice.repository(),
                (endpoint, id) -> cloudEvents.of(id, type, notice.project() == null ? endpoint.project() : notice.project(), notice));
    }

    /** Called when endpoints change, and at start: whether any endpoint wants pulls. */
    void endpointsChanged() {
        pullsWanted = endpoints.findAll().stream().anyMatch(e -> e.enabled() && e.events().contains(WebhookEvent.PULL_ARTIFACT));
    }

    private void fanOut(RegistryEvent event) {
        fanOut(event, endpoints::findByProjectOrderById);
    }

    private void fanOut(RegistryEvent event, Function<String, List<WebhookEndpoint>> endpointsOfProject) {
        WebhookEvent type = WebhookEvent.of(event).orElse(null);
        if (type == null || ProjectAccess.CATALOG_READER.equals(event.actorName()) && type == WebhookEvent.PULL_ARTIFACT) {
            return;
        }
        String repository = event.target().repository();
        List<WebhookEndpoint> wanting = endpointsOfProject.apply(ProjectAccess.projectOf(repository)).stream()
                .filter(e -> e.wants(type, repository)).toList();
        queue(wanting, event.id(), type, repository, (endpoint, id) -> cloudEvents.of(id, type, event));
    }

    /** One pending delivery per endpoint, unless the event was queued for it already (handed over again after a crash). */
    private void queue(List<WebhookEndpoint> wanting, String eventId, WebhookEvent type, @Nullable String repository,
                       BiFunction<WebhookEndpoint, String, String> body) {
        boolean any = false;
        for (WebhookEndpoint endpoint : wanting) {
            if (!deliveries.existsByEndpointIdAndEventId(endpoint.id(), eventId)) {
                String id = UUID.randomUUID().toString();
                deliveries.save(new WebhookDelivery(id, endpoint.id(), eventId, type, repository, body.apply(endpoint, id), clock.instant()));
                any = true;
            }
        }
        if (any) {
            afterCommit(sender::nudge);
        }
    }

    /** Runs {@code action} once the current transaction has committed: what it wrote is then there to read. */
    static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
