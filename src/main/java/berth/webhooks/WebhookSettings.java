package berth.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered ({@code BERTH_WEBHOOKS_*}).
 *
 * @param allowPrivateTargets let endpoints resolve to loopback, link-local, private or metadata addresses (tests, closed networks)
 * @param retryFor how long a failing delivery is retried before it is given up
 * @param disableAfter how long an endpoint may fail without one success before it is switched off
 * @param firstRetry the pause before the first retry; it doubles with each further one
 * @param longestPause the longest pause between two attempts, unless the receiver's {@code Retry-After} asks for more
 * @param timeout how long one attempt may take, connecting included
 */
@ConfigurationProperties("berth.webhooks")
record WebhookSettings(
        @DefaultValue("false") boolean allowPrivateTargets,
        @DefaultValue("24h") Duration retryFor,
        @DefaultValue("24h") Duration disableAfter,
        @DefaultValue("1s") Duration firstRetry,
        @DefaultValue("1h") Duration longestPause,
        @DefaultValue("10s") Duration timeout) {
}
