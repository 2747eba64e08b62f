package berth.base.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/** The frame around every signed-in view: side navigation from the views' menu entries, and the header switches. */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    private final transient AuthenticationContext authentication;
    private final Span title = new Span();

    public MainLayout(AuthenticationContext authentication, org.springframework.beans.factory.ObjectProvider<LanguageMemory> languages) {
        this.authentication = authentication;
        LanguageSwitch language = new LanguageSwitch(locale -> languages.ifAvailable(memory ->
                authentication.getPrincipalName().ifPresent(me -> memory.remember(me, locale))));
        setPrimarySection(Section.DRAWER);

        Span brand = new Span("⚓ Berth");
        brand.addClassName("berth-brand");
        addToDrawer(brand, navigation());

        title.addClassName("berth-title");
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, language, themeToggle(), account());
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(title);
        header.addClassName("berth-header");
        header.setSpacing(false);
        addToNavbar(header);
    }

    private SideNav navigation() {
        SideNav nav = new SideNav();
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            SideNavItem item = new SideNavItem(getTranslation(entry.title()), entry.path());
            // Inside a project (projects/team/...) the Projects entry stays highlighted.
            item.setMatchNested(true);
            if (entry.icon() != null) {
                item.setPrefixComponent(VaadinIcon.valueOf(entry.icon()).create());
            }
            nav.addItem(item);
        }
        return nav;
    }

    private Button themeToggle() {
        Button toggle = new Button(new Icon(Preferences.dark() ? VaadinIcon.SUN_O : VaadinIcon.MOON_O));
        toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        toggle.setId("theme-toggle");
        toggle.setAriaLabel(getTranslation("layout.theme"));
        toggle.setTooltipText(getTranslation("layout.theme"));
        toggle.addClickListener(e -> {
            Preferences.changeDark(!Preferences.dark());
            toggle.setIcon(new Icon(Preferences.dark() ? VaadinIcon.SUN_O : VaadinIcon.MOON_O));
        });
        return toggle;
    }

    private HorizontalLayout account() {
        String name = authentication.getPrincipalName().orElse("");
        // The account page lives in auth, which builds on this module: reached by its route, not its class.
        Anchor who = new Anchor("account", name);
        who.getElement().setAttribute("router-link", true);
        who.setId("signed-in-as");
        who.addClassName("berth-account");
        who.setTitle(getTranslation("layout.account"));
        // On a phone the button keeps only its icon (CSS hides the word), so its name comes from aria-label.
        Button signOut = new Button(VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
        Span word = new Span(getTranslation("layout.sign-out"));
        word.addClassName("berth-wide-only");
        signOut.getElement().appendChild(word.getElement());
        signOut.setAriaLabel(getTranslation("layout.sign-out"));
        signOut.setTooltipText(getTranslation("layout.sign-out"));
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout box = new HorizontalLayout(who, signOut);
        box.setSpacing(false);
        box.addClassName("berth-account-box");
        box.setAlignItems(FlexComponent.Alignment.CENTER);
        return box;
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        Preferences.applyColorScheme(attachEvent.getUI());
        Preferences.applyLanguage(attachEvent.getUI());
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        title.setText(MenuConfiguration.getPageHeader(getContent()).orElse(""));
        getUI().ifPresent(Toasts::closeStale);
    }
}
