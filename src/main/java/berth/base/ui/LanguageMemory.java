package berth.base.ui;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a person's console language is kept beyond one session: on their account. The module that
 * owns accounts implements it; the console applies it when they sign in and updates it when they
 * switch language.
 */
public interface LanguageMemory {

    /** The language {@code principal} chose last; empty when never chosen. */
    Optional<Locale> remembered(String principal);

    void remember(String principal, Locale locale);
}
