package berth.auth;

import java.util.List;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Console and API sign-in: email and console password (never an Appkey). */
@Service
class ConsoleUserDetails implements UserDetailsService {

    static final String SYSTEM_ADMIN = "SYSTEM_ADMIN";

    private final AccountRepository accounts;

    ConsoleUserDetails(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        Account account = accounts.findByEmail(Account.normalizeEmail(username))
                .orElseThrow(() -> new UsernameNotFoundException("no such account"));
        return User.withUsername(account.email())
                .password(account.passwordHash())
                .disabled(!account.enabled())
                .roles(account.systemAdmin() ? List.of("USER", SYSTEM_ADMIN).toArray(String[]::new) : new String[] {"USER"})
                .build();
    }
}
