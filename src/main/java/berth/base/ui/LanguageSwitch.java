package berth.base.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.select.Select;
import java.util.Locale;

/**
 * English / 한국어. Each language names itself, so a person who reads only one can find it. The choice
 * holds for the session and, once signed in, is remembered on the account ({@link LanguageMemory}).
 */
public class LanguageSwitch extends Select<Locale> {

    public LanguageSwitch() {
        this(locale -> {
        });
    }

    /** {@code remember} is told each language the person picks. */
    public LanguageSwitch(java.util.function.Consumer<Locale> remember) {
        setItems(MessageBundleTranslations.LOCALES);
        setItemLabelGenerator(locale -> locale.getLanguage().equals("ko") ? "한국어" : "English");
        setAriaLabel("Language / 언어");
        setId("language-switch");
        setWidth("8em");
        UI ui = UI.getCurrent();
        if (ui != null) {
            setValue(MessageBundleTranslations.LOCALES.stream()
                    .filter(l -> l.getLanguage().equals(ui.getLocale().getLanguage()))
                    .findFirst().orElse(Locale.ENGLISH));
        }
        addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                Preferences.changeLocale(e.getValue());
                remember.accept(e.getValue());
                UI.getCurrent().getPage().reload();
            }
        });
    }
}
