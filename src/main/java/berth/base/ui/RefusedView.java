package berth.base.ui;

import berth.base.DomainException;
import berth.base.ForbiddenException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A service refused while a page was opening: the styled page for the refusal, saying what the
 * service said, with the status the REST API gives for it. A name the address gets wrong (a
 * repository path that is no valid name, say) is the reader's mistake, not a failure to log.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class RefusedView extends ErrorPage implements HasErrorParameter<DomainException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<DomainException> parameter) {
        DomainException refusal = parameter.getException();
        String words = DomainErrors.text(refusal);
        return switch (refusal) {
            case NotFoundException missing -> show("missing", HttpServletResponse.SC_NOT_FOUND, words);
            case ForbiddenException forbidden -> show("refused", HttpServletResponse.SC_FORBIDDEN, words);
            case InvalidRequestException invalid -> show("declined", HttpServletResponse.SC_BAD_REQUEST, words);
            default -> show("declined", HttpServletResponse.SC_CONFLICT, words);
        };
    }
}
