package berth.base.ui;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.VaadinRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Short notifications in the console: what went well, or what went wrong in plain words (in the
 * reader's language, see {@link DomainErrors}). One at a
 * time: a new toast closes the ones before it (an error never outlives the success that followed it),
 * and navigating closes every toast but one shown while handling that very request (the "Deleted"
 * of a delete that leads back to the list).
 */
public final class Toasts {

    private Toasts() {
    }

    /** The open toasts of a UI, each with the request that showed it. */
    private record Shown(Notification notification, VaadinRequest request) {
    }

    private static final class Open extends ArrayList<Shown> {
    }

    public static void success(String message) {
        show(message, 3000, Notification.Position.BOTTOM_START, NotificationVariant.LUMO_SUCCESS);
    }

    public static void error(String message) {
        show(message, 6000, Notification.Position.MIDDLE, NotificationVariant.LUMO_ERROR);
    }

    /** A short note (such as "Copied") that does not replace a result still on screen. */
    public static void note(String message) {
        Notification.show(message, 1500, Notification.Position.BOTTOM_CENTER);
    }

    /** Runs a console action; a refusal or failure becomes an error notification, never a stack trace page. */
    public static boolean attempt(Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            error(DomainErrors.text(e));
            return false;
        }
    }

    /** Closes the toasts shown before the request being handled now; called after each navigation. */
    static void closeStale(UI ui) {
        Open open = ComponentUtil.getData(ui, Open.class);
        if (open == null) {
            return;
        }
        VaadinRequest now = VaadinRequest.getCurrent();
        List<Shown> stale = open.stream().filter(s -> s.request() != now).toList();
        stale.forEach(s -> s.notification().close());
        open.removeAll(stale);
    }

    private static void show(String message, int millis, Notification.Position position, NotificationVariant variant) {
        UI ui = UI.getCurrent();
        Open open = ui == null ? null : ComponentUtil.getData(ui, Open.class);
        if (open != null) {
            // Closing fires the listener that takes a toast off the list: walk a copy.
            List.copyOf(open).forEach(s -> s.notification().close());
            open.clear();
        }
        Notification n = Notification.show(message, millis, position);
        n.addThemeVariants(variant);
        if (ui != null) {
            if (open == null) {
                open = new Open();
                ComponentUtil.setData(ui, Open.class, open);
            }
            Open list = open;
            list.add(new Shown(n, VaadinRequest.getCurrent()));
            n.addOpenedChangeListener(e -> {
                if (!e.isOpened()) {
                    list.removeIf(s -> s.notification() == n);
                }
            });
        }
    }
}
