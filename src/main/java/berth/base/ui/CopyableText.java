package berth.base.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;

/** A value in monospace with a button that puts it on the clipboard and says so. */
public class CopyableText extends HorizontalLayout {

    private final Span value = new Span();
    private final Button copy = new Button(VaadinIcon.COPY_O.create());

    public CopyableText(String text) {
        setSpacing(false);
        addClassName("berth-copyable");
        setAlignItems(FlexComponent.Alignment.CENTER);
        value.addClassName("berth-mono");
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
        copy.addClassName("berth-copy");
        copy.setAriaLabel(getTranslation("copy.label"));
        copy.setTooltipText(getTranslation("copy.label"));
        copy.addClickListener(e -> {
            copy.getElement().executeJs("return navigator.clipboard.writeText($0)", value.getText());
            Toasts.note(getTranslation("copy.done"));
        });
        setText(text);
        add(value, copy);
    }

    /**
     * One line that fits its cell: the text ellipsized (whole in the tooltip), the copy button always
     * in view however narrow the column.
     */
    public CopyableText compact() {
        addClassName("berth-copyable-compact");
        value.getElement().setAttribute("title", value.getText());
        return this;
    }

    public void setText(String text) {
        value.setText(text);
    }

    public String text() {
        return value.getText();
    }

    public Button copyButton() {
        return copy;
    }
}
