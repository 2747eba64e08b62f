package berth.auth;

import berth.base.Caches;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Email-and-password sign-in with a short memory of successes. The REST API takes HTTP Basic, so
 * the password comes with every request, and one bcrypt check costs about 75 ms of CPU on a small
 * machine: a script polling the API once a second kept a tenth of a core busy with it. A password
 * that matched an account's stored hash in the last few minutes matches that same hash again
 * without bcrypt.
 * <p>
 * What is remembered is an HMAC of the password together with the stored hash, under a key made at
 * start-up and never written anywhere; never the password. A changed password means a new stored
 * hash, which misses. Failures are never remembered, so every wrong guess costs a full check.
 * <p>
 * The memory sits here, after the account was found, and not in the {@link PasswordEncoder}:
 * for an unknown email Spring Security checks the password against a dummy hash so that the answer
 * takes as long as for a known one. A remembering encoder would remember the dummy's password too,
 * and from then on unknown emails would answer fast with it, known ones slowly: a list of accounts
 * for anyone who measures.
 */
final class RememberingPasswordCheck extends DaoAuthenticationProvider {

    private final SecretKeySpec key;
    /**
     * The HMACs of passwords that matched, each for a while after its check (a hit does not
     * extend it). Ages by the application's clock, and the wall clock is good enough: a jump
     * forward forgets early, one backwards ends at the next restart.
     */
    private final Cache<String, Boolean> verified;

    RememberingPasswordCheck(UserDetailsService accounts, PasswordEncoder passwords, AuthSettings.PasswordCache settings, Caches caches) {
        super(accounts);
        setPasswordEncoder(passwords);
        this.verified = caches.build("berth.auth.passwords",
                Caffeine.newBuilder().maximumSize(settings.size()).expireAfterWrite(settings.expiry()));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Called only for an account that exists; the dummy check for unknown emails never comes here. */
    @Override
    protected void additionalAuthenticationChecks(UserDetails account, UsernamePasswordAuthenticationToken presented) {
        Object credentials = presented.getCredentials();
        String storedHash = account.getPassword();
        if (credentials == null || storedHash == null) {
            super.additionalAuthenticationChecks(account, presented);
            return;
        }
        String pair = fingerprint(credentials.toString(), storedHash);
        if (verified.getIfPresent(pair) != null) {
            return;
        }
        super.additionalAuthenticationChecks(account, presented); // throws when the password is wrong
        verified.put(pair, Boolean.TRUE);
    }

    private String fingerprint(String password, String storedHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // The length first, so that no two (password, hash) pairs give the same input.
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            mac.update(bytes);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
