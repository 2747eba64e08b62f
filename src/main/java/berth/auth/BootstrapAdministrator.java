package berth.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On first start, with no account at all, creates the system administrator so someone can sign in.
 * A generated password is printed once; it is the only time Berth ever writes a secret to the log,
 * because otherwise nobody could get in.
 */
@Component
@Order(0)
class BootstrapAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdministrator.class);

    private final AccountRepository accounts;
    private final PasswordEncoder passwords;
    private final AuthSettings settings;
    private final Clock clock;

    BootstrapAdministrator(AccountRepository accounts, PasswordEncoder passwords, AuthSettings settings, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (accounts.count() > 0) {
            return;
        }
        String email = settings.admin().email();
        String given = settings.admin().password();
        boolean generated = given == null || given.isBlank();
        String password = generated ? generatePassword() : given;
        accounts.save(new Account(email, passwords.encode(password), true, clock.instant()));
        if (generated) {
            log.warn("""

                    ================================================================
                     Berth created the system administrator.
                       Email:    {}
                       Password: {}
                     This password is shown once. Sign in and keep it safe, or set
                     BERTH_ADMIN_EMAIL and BERTH_ADMIN_PASSWORD before the first start.
                    ================================================================
                    """, email, password);
        } else {
            log.info("Berth created the system administrator {} from BERTH_ADMIN_EMAIL/BERTH_ADMIN_PASSWORD", email);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
