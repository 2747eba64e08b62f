package berth.base.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;
import org.springframework.stereotype.Component;

/** The HTML shell of every console page: Lumo, Berth's own small stylesheet, the favicon. */
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet(Lumo.UTILITY_STYLESHEET)
@StyleSheet("berth.css")
@Component
public class ConsoleShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Berth");
        settings.addMetaTag("color-scheme", "light dark");
        settings.addFavIcon("icon", "icons/favicon.svg", "any");
    }
}
