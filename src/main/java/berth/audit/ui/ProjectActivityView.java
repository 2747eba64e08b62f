package berth.audit.ui;

import berth.audit.AuditQuery;
import berth.base.ui.ProjectView;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * "Activity" of one project, for its ADMINs (and system administrators). Anyone else gets the
 * console's 403 page with the audit log's own refusal.
 */
@Route("projects/:project/activity")
@PermitAll
class ProjectActivityView extends ProjectView {

    private final AuditQuery audit;

    ProjectActivityView(AuditQuery audit, AuthenticationContext authentication) {
        super(authentication, "100em");
        this.audit = audit;
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        ActivityLog log = new ActivityLog(audit, me, project);
        // Refused here (ForbiddenException) the router shows its 403 page instead of this one.
        log.open();
        add(new H2(getPageTitle()), log);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("activity.project-title", project);
    }
}
