package berth.auth;

import berth.base.TooManyRequestsException;
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
 * Slows down guessing on every password surface - console sign-in, REST HTTP Basic, the token
 * service's Appkeys, password changes: after too many failed attempts within a window, for one
 * account from one client address, or from one address for any accounts, further attempts there
 * get 429 until the window has room again. Successful logins are neither counted nor delayed.
 * <p>
 * The account is keyed normalised as sign-in reads it ({@code " Carol@x"} is {@code carol@x}), so
 * spelling the name differently does not give a fresh allowance. It is keyed together with the
 * address so that someone guessing from one place does not lock the owner out everywhere: the right
 * password from another address still gets in. Kept per instance: behind a load balancer each
 * instance limits alone.
 */
@Component
class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 10;
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
        Optional<Duration> account = wait(accountKey(username, address), MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, now);
        Optional<Duration> client = wait(addressKey(address), MAX_FAILURES_PER_ADDRESS, now);
        if (account.isPresent() && client.isPresent()) {
            return Optional.of(account.get().compareTo(client.get()) > 0 ? account.get() : client.get());
        }
        return account.isPresent() ? account : client;
    }

    /** Throws the 429 refusal when {@code username} from {@code address} must wait. */
    void check(String username, String address) {
        Optional<Duration> wait = retryAfter(username, address);
        if (wait.isPresent()) {
            throw refusal(wait.get());
        }
    }

    static TooManyRequestsException refusal(Duration wait) {
        return new TooManyRequestsException("Too many failed attempts for this account from your address; try again in "
                + Math.max(1, wait.toSeconds()) + " seconds.", wait);
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        record(accountKey(username, address), now);
        record(addressKey(address), now);
        // The audit log counts these per name, address and hour rather than keeping one row per guess.
        events.publish(AuthEvent.Kind.LOGIN_FAILED, username, null, "wrong credentials");
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> prune(e.getValue(), now).isEmpty());
        }
    }

    private static String accountKey(String username, String address) {
        return "u:" + Account.normalizeEmail(username) + "\n" + address;
    }

    private static String addressKey(String address) {
        return "a:" + address;
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
