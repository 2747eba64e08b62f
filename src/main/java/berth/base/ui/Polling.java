package berth.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.Nullable;

/**
 * Re-reads part of a page on a timer while it is on screen: Vaadin's poll, switched on when the
 * component is attached and off when it leaves, so a page the person navigated away from stops asking.
 */
public final class Polling {

    private final int millis;
    private final Runnable refresh;
    private @Nullable Registration listener;

    private Polling(int millis, Runnable refresh) {
        this.millis = millis;
        this.refresh = refresh;
    }

    /** Runs {@code refresh} every {@code millis} while {@code component} is attached to a UI. */
    public static void whileAttached(Component component, int millis, Runnable refresh) {
        Polling polling = new Polling(millis, refresh);
        component.addAttachListener(event -> polling.start(event.getUI()));
        component.addDetachListener(event -> polling.stop(event.getUI()));
    }

    private void start(com.vaadin.flow.component.UI ui) {
        stop(ui);
        ui.setPollInterval(millis);
        listener = ui.addPollListener(event -> refresh.run());
    }

    private void stop(com.vaadin.flow.component.UI ui) {
        if (listener != null) {
            listener.remove();
            listener = null;
        }
        ui.setPollInterval(-1);
    }
}
