package berth.base.ui;

import berth.base.NotFoundException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/** A service found nothing by the address's name (a project one is not in, say): the styled 404 page with its words. */
@ParentLayout(MainLayout.class)
@PermitAll
public class MissingView extends ErrorPage implements HasErrorParameter<NotFoundException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        return show("missing", HttpServletResponse.SC_NOT_FOUND, DomainErrors.text(parameter.getException()));
    }
}
