package berth.webhooks;

import berth.auth.ProjectAccess;
import berth.auth.SealedSecrets;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.policy.Glob;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A project's webhook endpoints and their deliveries, for the project's ADMINs; refuses anyone else by itself. */
@Service
@Transactional
public class Webhooks {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final ProjectAccess access;
    private final TargetGuard guard;
    private final CloudEvents cloudEvents;
    private final WebhookFanout fanout;
    private final WebhookSender sender;
    private final SealedSecrets secrets;
    private final Clock clock;

    Webhooks(WebhookEndpoints endpoints, WebhookDeliveries deliveries, ProjectAccess access, TargetGuard guard,
             CloudEvents cloudEvents, WebhookFanout fanout, WebhookSender sender, SealedSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.access = access;
        this.guard = guard;
        this.cloudEvents = cloudEvents;
        this.fanout = fanout;
        this.sender = sender;
        this.clock = clock;
    }

    /** What an ADMIN sends to create or change an endpoint; on a change, no secret keeps the old one. */
    public record EndpointSpec(@Nullable String url, @Nullable List<String> events, @Nullable String repositories,
                               @Nullable String secret, @Nullable Boolean enabled) {
    }

    /** An endpoint as the API shows it: never its secret. */
    public record EndpointView(long id, String url, Set<WebhookEvent> events, String repositories, boolean enabled,
                               @Nullable String disabledReason) {
    }

    @Transactional(readOnly = true)
    public List<EndpointView> list(String me, String project) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        return endpoints.findByProjectOrderById(project).stream().map(Webhooks::view).toList();
    }

    public EndpointView create(String me, String project, EndpointSpec spec) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        String secret = spec.secret();
        if (secret == null || secret.isEmpty() || secret.length() > 255) {
            throw new InvalidRequestException("A webhook needs a secret of 1 to 255 characters to sign its requests with.");
        }
        WebhookEndpoint endpoint = endpoints.save(new WebhookEndpoint(project, url(spec.url()), events(spec.events()),
                repositories(spec.repositories()), secrets.seal(secret), spec.enabled() == null || spec.enabled(), clock.instant()));
        changed();
        return view(endpoint);
    }

    public EndpointView update(String me, String project, long id, EndpointSpec spec) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        WebhookEndpoint endpoint = endpoint(project, id);
        String secret = spec.secret();
        if (secret != null && (secret.isEmpty() || secret.length() > 255)) {
            throw new InvalidRequestException("A webhook secret has 1 to 255 characters.");
        }
        endpoint.change(url(spec.url()), events(spec.events()), repositories(spec.repositories()),
                secret == null ? null : secrets.seal(secret), spec.enabled() == null || spec.enabled());
        changed();
        return view(endpoint);
    }

    public void delete(String me, String project, long id) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        endpoints.delete(endpoint(project, id));
        changed();
    }

    /** Queues a test event for the endpoint ("Send test event"); it is delivered like any other. */
    public WebhookDeliveryView test(String me, String project, long id) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        WebhookEndpoint endpoint = endpoint(project, id);
        String deliveryId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        WebhookDelivery delivery = deliveries.save(new WebhookDelivery(deliveryId, endpoint.id(), "test-" + deliveryId,
                WebhookEvent.TEST, null, cloudEvents.test(deliveryId, project, now), now));
        WebhookFanout.afterCommit(sender::nudge);
        return delivery.view();
    }

    /** The endpoint's deliveries, newest first. */
    @Transactional(readOnly = true)
    public Page<WebhookDeliveryView> deliveries(String me, String project, long id, int page, int size) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        if (page < 0 || size < 1 || size > 500) {
            throw new InvalidRequestException("page counts from 0; size is 1 to 500.");
        }
        WebhookEndpoint endpoint = endpoint(project, id);
        return deliveries.findByEndpointIdOrderBySeqDesc(endpoint.id(), PageRequest.of(page, size)).map(WebhookDelivery::view);
    }

    /** The retry button: a delivered or given-up delivery is sent once more, now. */
    public WebhookDeliveryView retry(String me, String project, long id, String deliveryId) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        WebhookEndpoint endpoint = endpoint(project, id);
        WebhookDelivery delivery = deliveries.findByIdAndEndpointId(deliveryId, endpoint.id())
                .orElseThrow(() -> new NotFoundException("Webhook " + id + " has no delivery " + deliveryId + "."));
        delivery.retryNow(clock.instant());
        WebhookFanout.afterCommit(sender::nudge);
        return delivery.view();
    }

    /** At start: seals the secrets of endpoints saved before secrets were sealed, and looks whether any endpoint wants pulls. */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    void started() {
        long sealed = endpoints.findAll().stream().filter(endpoint -> endpoint.seal(secrets)).count();
        if (sealed > 0) {
            log.info("Sealed the secrets of {} webhook endpoints stored before secrets were sealed", sealed);
        }
        fanout.endpointsChanged();
    }

    private void changed() {
        WebhookFanout.afterCommit(fanout::endpointsChanged);
    }

    private WebhookEndpoint endpoint(String project, long id) {
        return endpoints.findByIdAndProject(id, project)
                .orElseThrow(() -> new NotFoundException("Project '" + project + "' has no webhook " + id + "."));
    }

    private String url(@Nullable String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new InvalidRequestException("A webhook needs a url of at most 2048 characters.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("The webhook url is not a URL: " + e.getReason() + ".");
        }
        guard.refusal(uri).ifPresent(refusal -> {
            throw new InvalidRequestException(refusal);
        });
        return uri.toString();
    }

    private static Set<WebhookEvent> events(@Nullable List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new InvalidRequestException("A webhook names its events, e.g. [\"PUSH_ARTIFACT\"].");
        }
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (String name : names) {
            try {
                WebhookEvent event = WebhookEvent.valueOf(String.valueOf(name).strip().toUpperCase(Locale.ROOT));
                if (event == WebhookEvent.TEST) {
                    throw new IllegalArgumentException();
                }
                events.add(event);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("Unknown webhook event '" + name + "'; one of PUSH_ARTIFACT, DELETE_ARTIFACT,"
                        + " PULL_ARTIFACT, QUOTA_EXCEEDED, RETENTION_COMPLETED, GC_COMPLETED.");
            }
        }
        return events;
    }

    private static String repositories(@Nullable String glob) {
        if (glob == null || glob.isBlank()) {
            return "**";
        }
        // The same glob language as the project's policies, refused here with a sentence naming the field.
        return Glob.ofRepositories("repositories", glob.strip()).toString();
    }

    private static EndpointView view(WebhookEndpoint endpoint) {
        return new EndpointView(endpoint.id(), endpoint.url(), endpoint.events(), endpoint.repositories(), endpoint.enabled(),
                endpoint.disabledReason());
    }
}
