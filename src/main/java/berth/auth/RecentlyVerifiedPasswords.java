package berth.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The password encoder with a short memory of successes. The REST API takes HTTP Basic, so the
 * password comes with every request, and one bcrypt check costs about 75 ms of CPU on a small
 * machine: a script polling the API once a second kept a tenth of a core busy with it. A password
 * that matched a stored hash in the last few minutes matches that same hash again without bcrypt.
 * <p>
 * What is remembered is an HMAC of the password together with the stored hash, under a key made
 * at start-up and never written anywhere; never the password. A changed password means a new stored
 * hash, which misses. Failures are never remembered, so every wrong guess still costs a full check
 * (and counts towards the login throttle), and unknown accounts keep Spring Security's dummy check.
 */
final class RecentlyVerifiedPasswords implements PasswordEncoder {

    static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);
    static final int CAPACITY = 10_000;

    private final PasswordEncoder delegate;
    private final Clock clock;
    private final SecretKeySpec key;
    /** HMAC → when it was verified; the eldest entry leaves when the map is full. */
    private final Map<String, Instant> verified = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > CAPACITY;
        }
    };

    RecentlyVerifiedPasswords(PasswordEncoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String pair = fingerprint(rawPassword, encodedPassword);
        Instant now = clock.instant();
        synchronized (verified) {
            Instant when = verified.get(pair);
            if (when != null && now.isBefore(when.plus(REMEMBERED_FOR))) {
                return true;
            }
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            synchronized (verified) {
                verified.put(pair, now);
            }
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(@Nullable String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private String fingerprint(CharSequence rawPassword, String encodedPassword) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // The length first, so that no two (password, hash) pairs give the same input.
            byte[] password = rawPassword.toString().getBytes(StandardCharsets.UTF_8);
            mac.update(Integer.toString(password.length).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            mac.update(password);
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
