package berth.catalog.sync;

import berth.base.BerthSettings;
import berth.base.InvalidRequestException;
import berth.catalog.remote.CatalogJson;
import berth.oci.RegistryEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an external CNCF Distribution POSTs its notifications ({@code notifications.endpoints} in
 * its config). Authenticated by the shared secret Distribution sends as the {@code Authorization}
 * header; each event becomes the same {@link RegistryEvent} the embedded engine publishes.
 */
@RestController
public class DistributionNotifications {

    private final BerthSettings settings;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    DistributionNotifications(BerthSettings settings, ApplicationEventPublisher publisher, PlatformTransactionManager transactionManager,
                              CatalogJson json) {
        this.json = json.mapper();
        this.settings = settings;
        this.publisher = publisher;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Distribution's envelope, as much of it as Berth reads. */
    record Envelope(@Nullable List<WireEvent> events) {
    }

    record WireEvent(@Nullable String id, @Nullable String timestamp, @Nullable String action,
                     @Nullable WireTarget target, @Nullable WireActor actor, @Nullable WireRequest request) {
    }

    record WireTarget(@Nullable String mediaType, @Nullable String digest, long size,
                      @Nullable String repository, @Nullable String tag) {
    }

    record WireActor(@Nullable String name) {
    }

    record WireRequest(@Nullable String addr, @Nullable String method) {
    }

    @PostMapping(path = "/api/registry/events", consumes = "*/*")
    ResponseEntity<Void> receive(@RequestHeader(name = "Authorization", required = false) @Nullable String authorization,
                                 @RequestBody(required = false) byte @Nullable [] body) {
        if (!secretMatches(authorization)) {
            throw new berth.base.UnauthorizedException("The Authorization header is not the events secret (BERTH_REGISTRY_EVENTS_SECRET).");
        }
        List<RegistryEvent> events = parse(json, body);
        // Published as the embedded engine publishes: pulls in-process, changes stored in the event publication
        // registry before Distribution hears 200 (it retries a notification until then), for catalog, audit and webhooks.
        events.stream().filter(event -> event.action() == RegistryEvent.Action.PULL).forEach(publisher::publishEvent);
        transactions.executeWithoutResult(status -> events.stream()
                .filter(event -> event.action() != RegistryEvent.Action.PULL).forEach(publisher::publishEvent));
        return ResponseEntity.ok().build();
    }

    private boolean secretMatches(@Nullable String authorization) {
        String secret = settings.registry().eventsSecret();
        if (secret == null || secret.isEmpty() || authorization == null) {
            return false;
        }
        return MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
    }

    static List<RegistryEvent> parse(JsonMapper json, byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("The body is empty; expected Distribution's {\"events\": [...]} envelope.");
        }
        Envelope envelope;
        try {
            envelope = json.readValue(body, Envelope.class);
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidRequestException("The body is not Distribution's {\"events\": [...]} envelope: it is not readable JSON of that shape.");
        }
        if (envelope == null || envelope.events() == null) {
            throw new InvalidRequestException("The envelope has no \"events\" list.");
        }
        List<RegistryEvent> events = new ArrayList<>();
        for (WireEvent wire : envelope.events()) {
            toEvent(wire).ifPresent(events::add);
        }
        return events;
    }

    /**
     * One event; empty for a HEAD reported as a pull, and for an action Berth does not know (a newer
     * Distribution's), which is skipped rather than refused: a refused envelope is retried by
     * Distribution forever and blocks every event behind it.
     */
    private static java.util.Optional<RegistryEvent> toEvent(@Nullable WireEvent wire) {
        if (wire == null || wire.id() == null || wire.action() == null || wire.target() == null
                || wire.target().repository() == null || wire.timestamp() == null) {
            throw new InvalidRequestException("Every event needs an id, a timestamp, an action and a target with a repository.");
        }
        Instant timestamp;
        try {
            timestamp = OffsetDateTime.parse(wire.timestamp()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("Event " + wire.id() + " has an unreadable timestamp.");
        }
        RegistryEvent.Action action;
        try {
            action = RegistryEvent.Action.valueOf(wire.action().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        if (action == RegistryEvent.Action.PULL && wire.request() != null && "HEAD".equals(wire.request().method())) {
            // Distribution reports a HEAD of a manifest as a pull. It is how clients check whether a tag
            // moved; it fetches nothing, so it is not counted (the embedded engine counts GETs only).
            return java.util.Optional.empty();
        }
        WireTarget target = wire.target();
        return java.util.Optional.of(new RegistryEvent(wire.id(), timestamp, action,
                new RegistryEvent.Target(target.mediaType(), target.digest(), target.size(), target.repository(), target.tag()),
                wire.actor() == null ? null : wire.actor().name(),
                wire.request() == null ? null : wire.request().addr()));
    }
}
