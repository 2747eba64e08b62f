package berth.auth.ui;

import berth.auth.Projects;
import berth.auth.Projects.ProjectSummary;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/** Where sign-in lands: the person's only project straight away, otherwise the project list, as in the guide. */
@Route("")
@PermitAll
class HomeView extends Div implements BeforeEnterObserver {

    private final Projects projects;
    private final String me;

    HomeView(Projects projects, AuthenticationContext authentication) {
        this.projects = projects;
        this.me = authentication.getPrincipalName().orElseThrow();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        List<ProjectSummary> mine = projects.visibleTo(me);
        event.forwardTo(mine.size() == 1 ? "projects/" + mine.get(0).name() : "projects");
    }
}
