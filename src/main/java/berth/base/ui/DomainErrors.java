package berth.base.ui;

import berth.base.DomainException;
import com.vaadin.flow.component.UI;

/** What the console says about a refusal: the service's words in the reader's language, when it gave a message key. */
public final class DomainErrors {

    private DomainErrors() {
    }

    public static String text(Exception e) {
        UI ui = UI.getCurrent();
        if (ui != null && e instanceof DomainException domain && domain.messageKey() != null) {
            String translated = ui.getTranslation(domain.messageKey(), domain.messageArguments());
            // A key the bundles lack shows as !key (see MessageBundleTranslations): the English sentence is better.
            if (!translated.startsWith("!")) {
                return translated;
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
