package berth.base.ui;

import com.vaadin.flow.router.AccessDeniedException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A page the signed-in person may not open (views marked {@code @AccessDeniedErrorRouter} come here
 * instead of pretending not to exist), inside the console with a way back.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class ForbiddenView extends ErrorPage implements HasErrorParameter<AccessDeniedException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
        return show("forbidden", HttpServletResponse.SC_FORBIDDEN);
    }
}
