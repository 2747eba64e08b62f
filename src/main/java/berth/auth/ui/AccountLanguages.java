package berth.auth.ui;

import berth.auth.Accounts;
import berth.base.ui.LanguageMemory;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The console language kept on the account, so it follows a person to every browser they sign in from. */
@Component
record AccountLanguages(Accounts accounts) implements LanguageMemory {

    @Override
    public Optional<Locale> remembered(String principal) {
        return accounts.language(principal).map(Locale::forLanguageTag);
    }

    @Override
    public void remember(String principal, Locale locale) {
        accounts.changeLanguage(principal, locale.getLanguage());
    }
}
