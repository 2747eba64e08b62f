package berth.base.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Nav;
import com.vaadin.flow.component.html.Span;

/** Where this page sits: Projects › team › Repositories › app › 1.0, each step a link but the last. */
public class Breadcrumbs extends Nav {

    public Breadcrumbs() {
        addClassName("berth-breadcrumbs");
        getElement().setAttribute("aria-label", "Breadcrumb");
        setId("breadcrumbs");
    }

    public Breadcrumbs link(String text, String href) {
        separator();
        add(InAppLink.to(text, href));
        return this;
    }

    public Breadcrumbs current(String text) {
        separator();
        Span span = new Span(text);
        span.getElement().setAttribute("aria-current", "page");
        add(span);
        return this;
    }

    private void separator() {
        if (getComponentCount() > 0) {
            Span separator = new Span("›");
            separator.addClassName("berth-muted");
            add(separator);
        }
    }

    /** Links the client-side router follows without a page load, so back and forward work as usual. */
    public static final class InAppLink {
        private InAppLink() {
        }

        public static Anchor to(String text, String href) {
            Anchor anchor = new Anchor(href, text);
            anchor.getElement().setAttribute("router-link", true);
            return anchor;
        }
    }
}
