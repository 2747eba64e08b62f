package berth.auth;

import berth.base.ConflictException;
import berth.base.ForbiddenException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts: system administrators create and list them and set anyone's password; everyone changes
 * their own password by giving the current one again. A new password ends the account's other
 * console sessions.
 */
@Service
@Transactional
public class Accounts {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    static final int MIN_PASSWORD = 8;

    private final AccountRepository accounts;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final ConsoleSessions sessions;

    Accounts(AccountRepository accounts, PasswordEncoder passwords, Clock clock, LoginThrottle throttle, ConsoleSessions sessions) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.clock = clock;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    /** An account as the API and console show it. */
    public record AccountSummary(String email, boolean systemAdmin, boolean enabled) {
        static AccountSummary of(Account a) {
            return new AccountSummary(a.email(), a.systemAdmin(), a.enabled());
        }
    }

    public AccountSummary create(String caller, String email, String password, boolean systemAdmin) {
        requireSystemAdmin(caller);
        String normalized = Account.normalizeEmail(email);
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 320) {
            throw new InvalidRequestException("'" + email + "' is not an email address.", "error.account.email-invalid", email);
        }
        requireLongEnough(password);
        if (accounts.existsByEmail(normalized)) {
            throw new ConflictException("An account with email " + normalized + " exists already.", "error.account.exists", normalized);
        }
        return AccountSummary.of(accounts.save(new Account(normalized, passwords.encode(password), systemAdmin, clock.instant())));
    }

    /** The console language {@code email} chose last ({@code en}, {@code ko}); empty when never chosen or no such account. */
    @Transactional(readOnly = true)
    public java.util.Optional<String> language(String email) {
        return accounts.findByEmail(Account.normalizeEmail(email)).map(Account::language);
    }

    /** Remembers the console language {@code caller} chose for their own account. */
    public void changeLanguage(String caller, String language) {
        if (!language.matches("[a-z]{2,8}")) {
            throw new InvalidRequestException("A language is a code like en or ko.");
        }
        accounts.findByEmail(Account.normalizeEmail(caller)).ifPresent(a -> a.changeLanguage(language));
    }

    @Transactional(readOnly = true)
    public List<AccountSummary> list(String caller) {
        requireSystemAdmin(caller);
        return accounts.findAll().stream().map(AccountSummary::of)
                .sorted(java.util.Comparator.comparing(AccountSummary::email)).toList();
    }

    /**
     * The caller's new console password. The current one is asked again, so that a console left
     * signed in is not enough to take the account over; wrong ones count as failed sign-ins of the
     * account from {@code address}, the client's. Appkeys are separate and keep working.
     */
    public void changeOwnPassword(String caller, String address, String currentPassword, String newPassword) {
        Account account = accounts.findByEmail(Account.normalizeEmail(caller)).filter(Account::enabled)
                .orElseThrow(() -> new ForbiddenException("Only a signed-in account may change its password."));
        throttle.check(account.email(), address);
        if (!passwords.matches(currentPassword, account.passwordHash())) {
            throttle.failed(account.email(), address);
            throw new InvalidRequestException("The current password is not right; the password stays as it was.", "error.account.current-password");
        }
        replacePassword(account, newPassword);
    }

    /** A system administrator sets someone's console password, for instance one that was forgotten. */
    public void setPassword(String caller, String email, String newPassword) {
        requireSystemAdmin(caller);
        Account account = accounts.findByEmail(Account.normalizeEmail(email))
                .orElseThrow(() -> new NotFoundException("There is no account with email " + email + "."));
        replacePassword(account, newPassword);
    }

    private void replacePassword(Account account, String newPassword) {
        requireLongEnough(newPassword);
        account.changePasswordHash(passwords.encode(newPassword));
        sessions.endOthersAfterCommit(account.email());
    }

    private static void requireLongEnough(String password) {
        if (password.length() < MIN_PASSWORD) {
            throw new InvalidRequestException("A password needs at least " + MIN_PASSWORD + " characters.", "error.account.password-short",
                    String.valueOf(MIN_PASSWORD));
        }
    }

    private void requireSystemAdmin(String caller) {
        boolean admin = accounts.findByEmail(Account.normalizeEmail(caller)).map(a -> a.enabled() && a.systemAdmin()).orElse(false);
        if (!admin) {
            throw new ForbiddenException("Only a system administrator may manage accounts.", "error.account.admins-only");
        }
    }
}
