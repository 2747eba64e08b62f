package berth.auth;

import berth.base.TooManyRequestsException;
import java.time.Duration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Console form sign-in, REST HTTP Basic and the actuator's Basic all check passwords through this
 * provider, so all of them count toward and obey the one {@link LoginThrottle}. A throttled attempt
 * is refused before the password is looked at: a right guess then would tell the guesser it was.
 */
final class ThrottledSignIn implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledSignIn(AuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    /** Refused by the throttle; the entry points answer it with 429 and {@code Retry-After}. */
    static final class Throttled extends AuthenticationException {

        private final transient TooManyRequestsException refusal;

        Throttled(TooManyRequestsException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }

        Duration retryAfter() {
            return refusal.retryAfter();
        }
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String username = attempt.getName();
        String address = attempt.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
        try {
            throttle.check(username, address);
        } catch (TooManyRequestsException refusal) {
            throw new Throttled(refusal);
        }
        try {
            return passwords.authenticate(attempt);
        } catch (BadCredentialsException wrong) {
            throttle.failed(username, address);
            throw wrong;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }
}
