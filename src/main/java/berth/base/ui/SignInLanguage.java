package berth.base.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.AuthenticationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Applies the language a person chose (kept on their account) when they sign in: on the first page
 * their new session opens, before any view is built, so the whole page reads in it. Within the
 * session the language switch rules.
 */
@Component
record SignInLanguage(ObjectProvider<LanguageMemory> memory, AuthenticationContext authentication) implements VaadinServiceInitListener {

    private static final String APPLIED = "berth.language-applied-for";

    private static final Logger log = LoggerFactory.getLogger(SignInLanguage.class);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> {
            String principal = authentication.getPrincipalName().orElse(null);
            LanguageMemory languages = memory.getIfAvailable();
            if (principal == null || languages == null) {
                return;
            }
            VaadinSession session = init.getUI().getSession();
            if (principal.equals(session.getAttribute(APPLIED))) {
                return;
            }
            session.setAttribute(APPLIED, principal);
            languages.remembered(principal)
                    .flatMap(chosen -> MessageBundleTranslations.LOCALES.stream()
                            .filter(l -> l.getLanguage().equals(chosen.getLanguage())).findFirst())
                    .ifPresent(locale -> {
                        log.debug("Signed in: {} reads in {}, as chosen before", principal, locale);
                        session.setLocale(locale);
                        init.getUI().setLocale(locale);
                    });
        });
    }
}
