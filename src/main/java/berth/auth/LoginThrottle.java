package berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows down guessing: after too many failed logins within a window, for one username or from one
 * client address, further attempts get 429 until the window has room again. Successful logins are
 * neither counted nor delayed. Kept per instance: behind a load balancer each instance limits alone.
 */
@Component
class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int MAX_FAILURES_PER_USER = 10;
    static final int MAX_FAILURES_PER_ADDRESS = 30;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AuthEvents events;

    LoginThrottle(Clock clock, AuthEvents events) {
        this.clock = clock;
        this.events = events;
    }

    /** How long the caller must wait, if they must. */
    Optional<Duration> retryAfter(String username, String address) {
        Instant now = clock.instant();
        Optional<Duration> user = wait("u:" + username.toLowerCase(java.util.Locale.ROOT), MAX_FAILURES_PER_USER, now);
        Optional<Duration> client = wait("a:" + address, MAX_FAILURES_PER_ADDRESS, now);
        if (user.isPresent() && client.isPresent()) {
            return Optional.of(user.get().compareTo(client.get()) > 0 ? user.get() : client.get());
        }
        return user.isPresent() ? user : client;
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        record("u:" + username.toLowerCase(java.util.Locale.ROOT), now);
        record("a:" + address, now);
        // The audit log counts these per name, address and hour rather than keeping one row per guess.
        events.publish(AuthEvent.Kind.LOGIN_FAILED, username, null, "wrong credentials");
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> prune(e.getValue(), now).isEmpty());
        }
    }

    private void record(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) {
                return Optional.empty();
            }
            Instant freeAt = times.peekFirst().plus(WINDOW);
            Duration wait = Duration.between(now, freeAt);
            return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
        }
    }

    private static Deque<Instant> prune(Deque<Instant> times, Instant now) {
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.removeFirst();
            }
        }
        return times;
    }
}
