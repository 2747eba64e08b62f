package berth.base.ui;

import berth.base.ForbiddenException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/** A service refused the signed-in person while a page was opening: the same 403 page, saying what the service said. */
@ParentLayout(MainLayout.class)
@PermitAll
public class RefusedView extends ErrorPage implements HasErrorParameter<ForbiddenException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<ForbiddenException> parameter) {
        return show("refused", HttpServletResponse.SC_FORBIDDEN, DomainErrors.text(parameter.getException()));
    }
}
