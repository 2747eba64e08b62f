package berth.catalog.remote;

import berth.base.BerthSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health of the external registry (external mode only), reported as "registry" by
 * /actuator/health: a {@code GET /v2/} without credentials. 200, or 401 with a
 * {@code WWW-Authenticate} challenge (a registry asking for Berth's tokens), is up; no connection,
 * no answer in time, a 5xx or anything else is down, with a short reason that holds no secret (no
 * URL user info, no response body). The answer is kept for a few seconds, so load balancers
 * probing every instance often do not turn into load on the registry.
 */
@Component("registry")
@ConditionalOnProperty(name = "berth.registry.mode", havingValue = "external")
public class ExternalRegistryHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(ExternalRegistryHealth.class);
    static final Duration CACHED_FOR = Duration.ofSeconds(5);
    /** Shorter than the probes' own timeouts, so a hanging registry reads as down rather than as a hanging Berth. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final @Nullable URI registry;
    private final Duration cachedFor;
    private final Duration timeout;
    private final HttpClient http;
    private @Nullable Health cached;
    private long cachedAt;

    @Autowired
    ExternalRegistryHealth(BerthSettings settings) {
        this(settings.registry().url(), CACHED_FOR, TIMEOUT);
    }

    ExternalRegistryHealth(@Nullable URI registry, Duration cachedFor, Duration timeout) {
        this.registry = registry;
        this.cachedFor = cachedFor;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One probe at a time: callers arriving while it runs wait for its answer instead of sending their own. */
    @Override
    public synchronized Health health() {
        Health previous = cached;
        if (previous == null || System.nanoTime() - cachedAt >= cachedFor.toNanos()) {
            Health fresh = probe();
            if (previous == null || !previous.getStatus().equals(fresh.getStatus())) {
                if (Status.UP.equals(fresh.getStatus())) {
                    log.info("The registry at {} answers.", where());
                } else {
                    log.warn("The registry at {} is down: {}", where(), fresh.getDetails().get("reason"));
                }
            }
            cached = fresh;
            cachedAt = System.nanoTime();
        }
        return cached;
    }

    private Health probe() {
        if (registry == null) {
            return Health.down().withDetail("reason", "BERTH_REGISTRY_URL is not set").build();
        }
        String base = registry.toString().replaceAll("/+$", "");
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean challenge = response.headers().firstValue("WWW-Authenticate").isPresent();
            if (status == 200 || status == 401 && challenge) {
                return Health.up().withDetail("registry", where()).withDetail("status", status).build();
            }
            return down(status == 401 ? "answered 401 without a WWW-Authenticate challenge"
                    : status >= 500 ? "answered " + status
                    : "answered " + status + ": is BERTH_REGISTRY_URL a registry's address?");
        } catch (HttpTimeoutException e) {
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return down(e.getCause() instanceof UnresolvedAddressException ? "host not found" : "connection refused");
        } catch (IOException e) {
            return down("request failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (IllegalArgumentException e) {
            return down("BERTH_REGISTRY_URL is not an http(s) URL");
        }
    }

    private Health down(String reason) {
        return Health.down().withDetail("registry", where()).withDetail("reason", reason).build();
    }

    /** Host and port only: a URL may carry credentials. */
    private String where() {
        if (registry == null) {
            return "(not set)";
        }
        return registry.getPort() < 0 ? String.valueOf(registry.getHost()) : registry.getHost() + ":" + registry.getPort();
    }
}
