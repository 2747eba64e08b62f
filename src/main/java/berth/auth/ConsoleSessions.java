package berth.auth;

import jakarta.servlet.http.HttpSession;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The console sessions each account has open (Spring Security's session registry). A new password
 * ends them: whoever learnt the old one must not stay signed in on some other browser. The session
 * that made the change stays, so a person changing their own password is not thrown out.
 */
@Service
record ConsoleSessions(SessionRegistry registry) {

    /**
     * Ends the account's other console sessions once the current transaction commits (at once when
     * there is none); a rolled-back change ends nothing. The calling request's session is spared.
     */
    void endOthersAfterCommit(String email) {
        String current = currentSessionId();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    endAllBut(email, current);
                }
            });
        } else {
            endAllBut(email, current);
        }
    }

    private void endAllBut(String email, @Nullable String keep) {
        for (Object principal : registry.getAllPrincipals()) {
            if (principal instanceof UserDetails user && user.getUsername().equals(email)) {
                registry.getAllSessions(principal, false).stream()
                        .filter(session -> !Objects.equals(session.getSessionId(), keep))
                        .forEach(SessionInformation::expireNow);
            }
        }
    }

    private static @Nullable String currentSessionId() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpSession session = attributes.getRequest().getSession(false);
            return session == null ? null : session.getId();
        }
        return null;
    }
}
