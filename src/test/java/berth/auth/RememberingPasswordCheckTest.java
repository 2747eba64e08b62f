package berth.auth;

import berth.base.Caches;
import berth.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RememberingPasswordCheckTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    /** Real bcrypt (at its lowest cost, for speed), counting how often it is asked. */
    private final CountingEncoder bcrypt = new CountingEncoder(new BCryptPasswordEncoder(4));
    private final InMemoryUserDetailsManager accounts = new InMemoryUserDetailsManager();
    /** The defaults of {@code berth.password-cache.*}. */
    private final AuthSettings.PasswordCache remembered = new AuthSettings.PasswordCache(10_000, Duration.ofMinutes(5));
    private final RememberingPasswordCheck signIn = new RememberingPasswordCheck(accounts, bcrypt, remembered,
            new Caches(new SimpleMeterRegistry(), clock));

    @Test
    void a_password_that_just_matched_matches_again_without_bcrypt() {
        account("alice@example.com", "correct horse");

        assertThat(signIn("alice@example.com", "correct horse").isAuthenticated()).isTrue();
        assertThat(signIn("alice@example.com", "correct horse").isAuthenticated()).isTrue();
        assertThat(signIn("alice@example.com", "correct horse").isAuthenticated()).isTrue();

        assertThat(bcrypt.checks.get()).isEqualTo(1);
    }

    @Test
    void a_wrong_password_is_never_remembered_and_always_costs_a_full_check() {
        accountSignedInOnce("alice@example.com", "correct horse");

        assertRefused("alice@example.com", "wrong horse");
        assertRefused("alice@example.com", "wrong horse");
        assertRefused("alice@example.com", "correct horse ");

        assertThat(bcrypt.checks.get()).isEqualTo(4);
    }

    @Test
    void a_changed_password_is_a_new_stored_hash_and_the_old_password_no_longer_matches() {
        accountSignedInOnce("alice@example.com", "old password");

        accounts.updatePassword(accounts.loadUserByUsername("alice@example.com"), bcrypt.encode("new password"));

        assertRefused("alice@example.com", "old password");
        assertThat(signIn("alice@example.com", "new password").isAuthenticated()).isTrue();
        assertThat(bcrypt.checks.get()).isEqualTo(3);
    }

    @Test
    void the_memory_lasts_a_few_minutes() {
        accountSignedInOnce("alice@example.com", "correct horse");

        clock.advance(remembered.expiry().minus(Duration.ofSeconds(1)));
        signIn("alice@example.com", "correct horse");
        assertThat(bcrypt.checks.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        signIn("alice@example.com", "correct horse");
        assertThat(bcrypt.checks.get()).as("checked again once the memory has run out").isEqualTo(2);
    }

    @Test
    void one_accounts_success_does_not_open_another_account_with_a_different_hash() {
        account("alice@example.com", "shared words");
        account("bob@example.com", "bobs own");
        signIn("alice@example.com", "shared words");

        assertRefused("bob@example.com", "shared words");
    }

    @Test
    void a_disabled_account_is_refused_even_with_a_remembered_password() {
        accountSignedInOnce("alice@example.com", "correct horse");

        accounts.updateUser(User.withUserDetails(accounts.loadUserByUsername("alice@example.com")).disabled(true).build());

        assertThatThrownBy(() -> signIn("alice@example.com", "correct horse")).isInstanceOf(DisabledException.class);
    }

    /**
     * Spring Security checks the password of an unknown email against a dummy hash of a fixed word,
     * so that unknown and known emails take equally long. That check must cost bcrypt every time:
     * were its success remembered, unknown emails would answer fast and known ones slowly.
     */
    @Test
    void unknown_emails_always_cost_a_full_check_even_with_the_dummy_hashs_own_password() {
        accountSignedInOnce("alice@example.com", "correct horse");
        int before = bcrypt.checks.get();

        for (String password : new String[] {"userNotFoundPassword", "userNotFoundPassword", "guess"}) {
            assertRefused("nobody@example.com", password);
            assertRefused("someone-else@example.com", password);
        }

        assertThat(bcrypt.checks.get() - before).isEqualTo(6);
    }

    private void account(String email, String password) {
        accounts.createUser(User.withUsername(email).password(bcrypt.encode(password)).roles("USER").build());
    }

    /** An account whose password has just been checked once, so that it is remembered. */
    private void accountSignedInOnce(String email, String password) {
        account(email, password);
        signIn(email, password);
    }

    private Authentication signIn(String email, String password) {
        return signIn.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, password));
    }

    private void assertRefused(String email, String password) {
        assertThatThrownBy(() -> signIn(email, password)).isInstanceOf(BadCredentialsException.class);
    }

    private static final class CountingEncoder implements PasswordEncoder {
        final AtomicInteger checks = new AtomicInteger();
        private final PasswordEncoder real;

        CountingEncoder(PasswordEncoder real) {
            this.real = real;
        }

        @Override
        public @Nullable String encode(@Nullable CharSequence rawPassword) {
            return real.encode(rawPassword);
        }

        @Override
        public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
            checks.incrementAndGet();
            return real.matches(rawPassword, encodedPassword);
        }
    }
}
