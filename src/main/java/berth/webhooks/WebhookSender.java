package berth.webhooks;

import berth.auth.SealedSecrets;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends pending deliveries, off every request thread. One loop takes the first pending delivery of
 * each endpoint and repository (a repository's events reach an endpoint in order, one at a time),
 * starts those that are due on virtual threads, and sleeps until the next is due, a new one is
 * written or an attempt ends ({@link #nudge()}). Pending rows outlive a restart: the loop starts with them.
 *
 * <p>An attempt succeeds on 2xx. Network errors, timeouts, 429 and 5xx are retried after
 * {@code first-retry}, doubling up to {@code longest-pause} or the receiver's {@code Retry-After},
 * for {@code retry-for}; any other answer (redirects included: they are not followed) gives the
 * delivery up. An endpoint with nothing but failures for {@code disable-after} is switched off.
 */
@Component
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final String SIGNATURE = "X-Berth-Signature";
    static final String DELIVERY = "X-Berth-Delivery";
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final TargetGuard guard;
    private final WebhookSettings settings;
    private final TransactionTemplate transactions;
    private final SealedSecrets secrets;
    private final Clock clock;
    private final HttpClient http;
    /** Holds a token when there is news (a delivery written or due); the loop waits on it between rounds. */
    private final BlockingQueue<Boolean> wake = new LinkedBlockingQueue<>(1);
    /** Endpoint and repository of the attempts under way: one at a time each, for the order. */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private @Nullable Thread loop;

    WebhookSender(WebhookEndpoints endpoints, WebhookDeliveries deliveries, TargetGuard guard, WebhookSettings settings,
                  TransactionTemplate transactions, SealedSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.guard = guard;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = true;
        loop = Thread.ofVirtual().name("webhook-sender").start(this::run);
    }

    @PreDestroy
    void stop() {
        running = false;
        wake.offer(Boolean.TRUE);
        attempts.shutdownNow();
    }

    /** A delivery was written or made due: look now rather than at the next planned wake-up. */
    void nudge() {
        wake.offer(Boolean.TRUE);
    }

    private void run() {
        while (running) {
            try {
                wake.clear();
                Duration pause = round();
                if (pause.isPositive()) {
                    wake.poll(pause.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database away for a moment: try again shortly; nothing is lost, the rows wait.
                log.warn("Webhook deliveries could not be read: {}", e.getMessage());
                try {
                    wake.poll(5, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Starts what is due and not already on its way; returns how long to wait for the next round. A
     * finished attempt nudges the loop, so the repository's next delivery follows at once.
     */
    private Duration round() {
        List<WebhookDelivery> heads = transactions.execute(status -> deliveries.findHeads());
        Instant now = clock.instant();
        Instant next = now.plus(IDLE);
        for (WebhookDelivery head : heads == null ? List.<WebhookDelivery>of() : heads) {
            String queue = head.endpointId() + " " + head.repository();
            if (head.nextAttemptAt().isAfter(now)) {
                next = head.nextAttemptAt().isBefore(next) ? head.nextAttemptAt() : next;
            } else if (inFlight.add(queue)) {
                attempts.execute(() -> {
                    try {
                        attempt(head.seq());
                    } catch (RuntimeException e) {
                        log.warn("A webhook delivery attempt failed unexpectedly: {}", e.toString());
                    } finally {
                        inFlight.remove(queue);
                        nudge();
                    }
                });
            }
        }
        return Duration.between(now, next);
    }

    private void attempt(long seq) {
        // Read again: the list this came from may predate the previous attempt's outcome.
        WebhookDelivery delivery = deliveries.findById(seq).orElse(null);
        if (delivery == null || delivery.status() != DeliveryStatus.PENDING || delivery.nextAttemptAt().isAfter(clock.instant())) {
            return;
        }
        Optional<WebhookEndpoint> found = endpoints.findById(delivery.endpointId());
        if (found.isEmpty()) {
            return; // deleted with its deliveries
        }
        WebhookEndpoint endpoint = found.get();
        Instant started = clock.instant();
        if (!endpoint.enabled()) {
            delivery.gaveUp(started, null, 0, "The endpoint is disabled.");
            save(delivery, null);
            return;
        }
        URI url = URI.create(endpoint.url());
        Optional<String> refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            delivery.gaveUp(started, null, 0, refusal.get());
            save(delivery, fresh -> fresh.failed(started, settings.disableAfter(), refusal.get()));
            return;
        }
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Integer code = null;
        String error;
        Duration retryAfter = Duration.ZERO;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url)
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header(SIGNATURE, "sha256=" + hmac(endpoint.secret(secrets), body))
                    .header(DELIVERY, delivery.id())
                    .header("User-Agent", "Berth-Webhooks")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            code = response.statusCode();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (code >= 200 && code < 300) {
                delivery.delivered(clock.instant(), code, millis);
                save(delivery, WebhookEndpoint::succeeded);
                return;
            }
            error = "HTTP " + code;
            retryAfter = response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(Duration.ZERO);
            if (code != 429 && code < 500) {
                delivery.gaveUp(clock.instant(), code, millis, error + (code >= 300 && code < 400 ? " (redirects are not followed)" : ""));
                Instant failedAt = clock.instant();
                String reason = error;
                save(delivery, fresh -> fresh.failed(failedAt, settings.disableAfter(), reason));
                return;
            }
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Instant now = clock.instant();
        if (!now.isBefore(delivery.createdAt().plus(settings.retryFor()))) {
            delivery.gaveUp(now, code, millis, error + "; given up after " + settings.retryFor());
        } else {
            delivery.retryAt(now, code, millis, error, now.plus(pause(delivery.attempts(), retryAfter)));
        }
        String reason = error;
        save(delivery, fresh -> fresh.failed(now, settings.disableAfter(), reason));
    }

    /** first-retry doubled with each attempt made, at most longest-pause - unless the receiver asked for longer. */
    private Duration pause(int attemptsMade, Duration retryAfter) {
        Duration backOff = settings.firstRetry().multipliedBy(1L << Math.min(attemptsMade, 30));
        if (backOff.compareTo(settings.longestPause()) > 0 || backOff.isNegative()) {
            backOff = settings.longestPause();
        }
        return retryAfter.compareTo(backOff) > 0 ? retryAfter : backOff;
    }

    /** {@code Retry-After}: seconds, or an HTTP date. */
    private Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return Duration.ZERO;
            }
        }
    }

    /**
     * Records an attempt's outcome, and what it says about the endpoint on the endpoint as it is now:
     * an ADMIN may have changed, switched off or deleted it during the attempt, and saving the copy
     * read before it would undo that (or bring a deleted endpoint back). Deleted, it is left deleted,
     * and its deliveries went with it.
     */
    private void save(WebhookDelivery delivery, @Nullable Consumer<WebhookEndpoint> outcome) {
        transactions.executeWithoutResult(status -> endpoints.findById(delivery.endpointId()).ifPresent(endpoint -> {
            deliveries.save(delivery);
            if (outcome != null) {
                outcome.accept(endpoint);
            }
        }));
    }

    /** Lowercase hex HMAC-SHA256 of {@code body} with {@code secret}: {@code echo -n BODY | openssl dgst -sha256 -hmac SECRET}. */
    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
