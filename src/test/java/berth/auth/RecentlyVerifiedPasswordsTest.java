package berth.auth;

import berth.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class RecentlyVerifiedPasswordsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    /** Real bcrypt (at its lowest cost, for speed), counting how often it is asked. */
    private final CountingEncoder bcrypt = new CountingEncoder(new BCryptPasswordEncoder(4));
    private final RecentlyVerifiedPasswords passwords = new RecentlyVerifiedPasswords(bcrypt, clock);

    @Test
    void a_password_that_just_matched_matches_again_without_bcrypt() {
        String stored = passwords.encode("correct horse");

        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(passwords.matches("correct horse", stored)).isTrue();

        assertThat(bcrypt.checks.get()).isEqualTo(1);
    }

    @Test
    void a_wrong_password_is_never_remembered_and_always_costs_a_full_check() {
        String stored = passwords.encode("correct horse");
        assertThat(passwords.matches("correct horse", stored)).isTrue();

        assertThat(passwords.matches("wrong horse", stored)).isFalse();
        assertThat(passwords.matches("wrong horse", stored)).isFalse();
        assertThat(passwords.matches("correct horse ", stored)).isFalse();

        assertThat(bcrypt.checks.get()).isEqualTo(4);
    }

    @Test
    void a_changed_password_is_a_new_stored_hash_and_the_old_password_no_longer_matches() {
        String before = passwords.encode("old password");
        assertThat(passwords.matches("old password", before)).isTrue();

        String after = passwords.encode("new password");

        assertThat(passwords.matches("old password", after)).isFalse();
        assertThat(passwords.matches("new password", after)).isTrue();
        assertThat(bcrypt.checks.get()).isEqualTo(3);
    }

    @Test
    void the_memory_lasts_a_few_minutes() {
        String stored = passwords.encode("correct horse");
        assertThat(passwords.matches("correct horse", stored)).isTrue();

        clock.advance(RecentlyVerifiedPasswords.REMEMBERED_FOR.minus(Duration.ofSeconds(1)));
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(bcrypt.checks.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(bcrypt.checks.get()).as("checked again once the memory has run out").isEqualTo(2);
    }

    @Test
    void one_accounts_success_does_not_open_another_account_with_a_different_hash() {
        String alice = passwords.encode("shared words");
        String bob = passwords.encode("bobs own");
        assertThat(passwords.matches("shared words", alice)).isTrue();

        assertThat(passwords.matches("shared words", bob)).isFalse();
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
