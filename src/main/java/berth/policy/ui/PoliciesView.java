package berth.policy.ui;

import berth.auth.ProjectAccess;
import berth.base.BerthSettings;
import berth.policy.ImmutableTagRules;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * A project's policies, one tab per kind, each a panel of its own: members read them, ADMINs change
 * them. Who may do what is decided by the policy services, not here.
 */
@Route("projects/:project/policies")
@PermitAll
class PoliciesView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final ImmutableTagRules immutableTagRules;
    private final ProjectAccess access;
    private final BerthSettings settings;
    private final String me;
    private String project = "";

    PoliciesView(ImmutableTagRules immutableTagRules, ProjectAccess access, BerthSettings settings, AuthenticationContext authentication) {
        this.immutableTagRules = immutableTagRules;
        this.access = access;
        this.settings = settings;
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("70em");
        addClassName("berth-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        project = event.getRouteParameters().get("project").orElse("");
        removeAll();
        add(new H2(getPageTitle()));
        if (!access.mayBrowse(me, project)) {
            Paragraph refused = new Paragraph(getTranslation("policies.not-a-member", project));
            refused.setId("policies-refused");
            add(refused);
            return;
        }
        boolean admin = access.isAdmin(me, project);
        TabSheet tabs = new TabSheet();
        tabs.setId("policies");
        tabs.setWidthFull();
        Tab immutable = new Tab(getTranslation("policies.immutable.tab"));
        immutable.setId("immutable-tab");
        tabs.add(immutable, new ImmutableTagRulesPanel(immutableTagRules, me, project, admin, settings.registry().mode()));
        add(tabs);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("policies.title", project);
    }
}
