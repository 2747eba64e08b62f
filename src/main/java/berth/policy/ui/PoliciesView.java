package berth.policy.ui;

import berth.auth.ProjectAccess;
import berth.base.ui.Breadcrumbs;
import berth.policy.retention.Retention;
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
 * A project's policies, one tab per kind, each tab's content a component of its own. Members read,
 * ADMINs edit; the services refuse anyone else whatever this page shows.
 */
@Route("projects/:project/policies")
@PermitAll
class PoliciesView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Retention retention;
    private final ProjectAccess access;
    private final String me;
    private String project = "";

    PoliciesView(Retention retention, ProjectAccess access, AuthenticationContext authentication) {
        this.retention = retention;
        this.access = access;
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("90em");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        project = event.getRouteParameters().get("project").orElse("");
        removeAll();
        add(new Breadcrumbs().link(getTranslation("nav.projects"), "projects").link(project, "projects/" + project)
                .current(getTranslation("project.policies")));
        add(new H2(getTitle()));
        if (!access.mayBrowse(me, project)) {
            add(new Paragraph(getTranslation("policies.not-member", project)));
            return;
        }
        TabSheet tabs = new TabSheet();
        tabs.setId("policies-tabs");
        tabs.setWidthFull();
        Tab retentionTab = tabs.add(getTranslation("policies.retention"),
                new RetentionPanel(retention, me, project, access.isAdmin(me, project)));
        retentionTab.setId("retention-tab");
        add(tabs);
    }

    private String getTitle() {
        return getTranslation("policies.title", project);
    }

    @Override
    public String getPageTitle() {
        return getTitle();
    }
}
