package berth.base.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * A page about one project ({@code projects/:project/…}), whichever module serves it: the person
 * looking and the project the address names, read again each time the page is entered, and the page
 * drawn anew for them. What that person may see is the project's services' decision; a refusal they
 * throw while the page is drawn becomes the console's 403 page.
 */
public abstract class ProjectView extends ConsolePage implements BeforeEnterObserver {

    /** The project the address names. */
    protected String project = "";

    protected ProjectView(AuthenticationContext authentication, String maxWidth) {
        super(authentication, maxWidth);
    }

    @Override
    public final void beforeEnter(BeforeEnterEvent event) {
        project = event.getRouteParameters().get("project").orElse("");
        removeAll();
        show(event);
    }

    /** Draws the page for {@link #project} on the emptied layout. */
    protected abstract void show(BeforeEnterEvent event);

    /** Projects › the project: where the trail of each page below the project page starts. */
    protected Breadcrumbs crumbsToProject() {
        return new Breadcrumbs().link(getTranslation("nav.projects"), "projects").link(project, "projects/" + project);
    }
}
