package berth.audit.ui;

import berth.audit.AuditQuery;
import berth.base.ui.ConsolePage;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;

/**
 * "Activity" of the whole registry, for system administrators: every project's records and those
 * of no project (failed sign-ins). The navigation lists it only for them.
 */
@Route("activity")
@Menu(order = 7, title = "nav.activity", icon = "CLIPBOARD_TEXT")
@RolesAllowed("SYSTEM_ADMIN")
// Someone signed in but not allowed sees the console's 403 page, not a pretended 404.
@AccessDeniedErrorRouter
class ActivityView extends ConsolePage {

    ActivityView(AuditQuery audit, AuthenticationContext authentication) {
        super(authentication, "110em");
        ActivityLog log = new ActivityLog(audit, me, null);
        add(new H2(getPageTitle()), log);
        log.open();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.activity");
    }
}
