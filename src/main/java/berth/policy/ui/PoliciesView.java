package berth.policy.ui;

import berth.auth.ProjectAccess;
import berth.base.BerthSettings;
import berth.base.ui.ProjectView;
import berth.policy.ImmutableTagRules;
import berth.policy.retention.Retention;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * A project's policies, one tab per kind, each tab's content a component of its own. Members read,
 * ADMINs edit; the policy services refuse anyone else whatever this page shows.
 */
@Route("projects/:project/policies")
@PermitAll
class PoliciesView extends ProjectView {

    private final Retention retention;
    private final ImmutableTagRules immutableTagRules;
    private final ProjectAccess access;
    private final BerthSettings settings;

    PoliciesView(Retention retention, ImmutableTagRules immutableTagRules, ProjectAccess access, BerthSettings settings,
                 AuthenticationContext authentication) {
        super(authentication, "90em");
        this.retention = retention;
        this.immutableTagRules = immutableTagRules;
        this.access = access;
        this.settings = settings;
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        add(crumbsToProject().current(getTranslation("project.policies")));
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
        Tab retentionTab = tabs.add(getTranslation("policies.retention"), new RetentionPanel(retention, me, project, admin));
        retentionTab.setId("retention-tab");
        Tab immutableTab = tabs.add(getTranslation("policies.immutable.tab"),
                new ImmutableTagRulesPanel(immutableTagRules, me, project, admin, settings.registry().mode()));
        immutableTab.setId("immutable-tab");
        add(tabs);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("policies.title", project);
    }
}
