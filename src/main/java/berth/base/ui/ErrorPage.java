package berth.base.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;

/** What the styled error views share: a heading, a sentence, and a way back to the projects. */
abstract class ErrorPage extends VerticalLayout implements HasDynamicTitle {

    private String title = "";

    ErrorPage() {
        setMaxWidth("48em");
        addClassName("berth-error");
        setId("error-view");
    }

    /** Shows the page for {@code key} ({@code error.<key>.title} and {@code .text}) and returns its HTTP status. */
    int show(String key, int status, Object... args) {
        removeAll();
        title = getTranslation("error." + key + ".title");
        H2 heading = new H2(title);
        heading.setId("error-title");
        Paragraph text = new Paragraph(getTranslation("error." + key + ".text", args));
        text.setId("error-text");
        add(heading, text, Breadcrumbs.InAppLink.to(getTranslation("error.back"), "projects"));
        return status;
    }

    @Override
    public String getPageTitle() {
        return title;
    }
}
