package berth.base.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything else that broke while a page opened: a plain sentence for the person, the stack trace for the log. */
@ParentLayout(MainLayout.class)
@PermitAll
public class ProblemView extends ErrorPage implements HasErrorParameter<Exception> {

    private static final Logger log = LoggerFactory.getLogger(ProblemView.class);

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<Exception> parameter) {
        log.error("Console page /{} failed", event.getLocation().getPath(), parameter.getCaughtException());
        return show("problem", HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
    }
}
