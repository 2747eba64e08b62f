package berth.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import java.util.function.Consumer;

/**
 * Whether the browser window is phone-narrow, told to a view when it attaches and whenever the
 * window crosses the line: grids drop their less essential columns, as CSS alone cannot do for them.
 */
public final class ScreenWidth {

    /** Below this many CSS pixels a window is narrow (a phone held upright, a split screen). */
    public static final int NARROW_BELOW = 700;

    private ScreenWidth() {
    }

    public static void whenNarrow(Component owner, Consumer<Boolean> narrow) {
        owner.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ui.getPage().retrieveExtendedClientDetails(details -> narrow.accept(details.getWindowInnerWidth() < NARROW_BELOW));
            Registration resize = ui.getPage().addBrowserWindowResizeListener(e -> narrow.accept(e.getWidth() < NARROW_BELOW));
            owner.addDetachListener(detach -> {
                resize.remove();
                detach.unregisterListener();
            });
        });
    }
}
