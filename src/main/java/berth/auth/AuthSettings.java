package berth.auth;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the auth module, bound from {@code berth.*} ({@code BERTH_ADMIN_EMAIL},
 * {@code BERTH_TOKEN_ISSUER}, {@code BERTH_OPEN_PROJECT_CREATION}, ...).
 */
@ConfigurationProperties("berth")
record AuthSettings(
        @DefaultValue Admin admin,
        @DefaultValue Token token,
        @DefaultValue("false") boolean openProjectCreation,
        @DefaultValue PasswordCache passwordCache) {

    /** The system administrator created on first start when no account exists. */
    record Admin(@DefaultValue("admin@berth.local") String email, @Nullable String password) {

        /** Never prints the password: the beans that hold these settings print them in their own toString. */
        @Override
        public String toString() {
            return "Admin[email=" + email + ", password=" + (password == null ? "unset" : "set") + "]";
        }
    }

    /**
     * @param issuer the {@code iss} of every registry token
     * @param service the registry's service name: the {@code service} of challenges and the {@code aud} of tokens
     * @param lifetime how long a registry (access) token lives
     * @param refreshLifetime how long what {@code docker login} keeps lives; never above 12 hours
     * @param cacheSize how many tokens are remembered as verified, each until it expires; far more
     *                  than the clients active within a token's lifetime
     */
    record Token(
            @DefaultValue("berth") String issuer,
            @DefaultValue("berth-registry") String service,
            @DefaultValue("5m") Duration lifetime,
            @DefaultValue("12h") Duration refreshLifetime,
            @DefaultValue("10000") int cacheSize) {
    }

    /**
     * Passwords that matched recently, remembered (as HMACs) to spare bcrypt on the REST API's
     * Basic sign-ins; see {@link RememberingPasswordCheck}.
     *
     * @param size how many (password, account) pairs are remembered
     * @param expiry how long after its check a success is remembered
     */
    record PasswordCache(@DefaultValue("10000") int size, @DefaultValue("5m") Duration expiry) {
    }
}
