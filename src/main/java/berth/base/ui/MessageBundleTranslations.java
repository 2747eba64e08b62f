package berth.base.ui;

import com.vaadin.flow.i18n.I18NProvider;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.stereotype.Component;

/** Console texts from {@code messages*.properties}: English and Korean, the browser's choice first. */
@Component
record MessageBundleTranslations(MessageSource messages) implements I18NProvider {

    static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.KOREAN);

    @Override
    public List<Locale> getProvidedLocales() {
        return LOCALES;
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        try {
            return messages.getMessage(key, params, locale);
        } catch (NoSuchMessageException e) {
            // A missing text must show up in review, not break the page.
            return "!" + key;
        }
    }
}
