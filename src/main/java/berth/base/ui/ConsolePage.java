package berth.base.ui;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * A page of the console, whichever module serves it: at most {@code maxWidth} wide, styled as a
 * page, and knowing who is looking. {@link ProjectView} is the page about one project.
 */
public abstract class ConsolePage extends VerticalLayout implements HasDynamicTitle {

    /** The signed-in person, as the services take them. */
    protected final String me;

    protected ConsolePage(AuthenticationContext authentication, String maxWidth) {
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth(maxWidth);
        addClassName("berth-page");
    }
}
