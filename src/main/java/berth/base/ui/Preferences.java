package berth.base.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.server.VaadinSession;
import java.util.Locale;

/** The language and colour scheme a person picked, kept for their session. */
public final class Preferences {

    private static final String DARK = "berth.dark";

    private Preferences() {
    }

    public static void changeLocale(Locale locale) {
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.setLocale(locale);
        }
    }

    public static boolean dark() {
        VaadinSession session = VaadinSession.getCurrent();
        return session != null && Boolean.TRUE.equals(session.getAttribute(DARK));
    }

    public static void changeDark(boolean dark) {
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.setAttribute(DARK, dark);
        }
        applyColorScheme(UI.getCurrent());
    }

    /** The page's language for screen readers and for CSS (Korean text breaks between words only). */
    public static void applyLanguage(UI ui) {
        ui.getElement().executeJs("document.documentElement.lang = $0", ui.getLocale().getLanguage());
    }

    static void applyColorScheme(UI ui) {
        ui.getPage().setColorScheme(dark() ? ColorScheme.Value.DARK : ColorScheme.Value.LIGHT);
    }
}
