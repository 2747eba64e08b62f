package berth.base.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** Short notifications in the console: what went well, or what went wrong in plain words. */
public final class Toasts {

    private Toasts() {
    }

    public static void success(String message) {
        Notification n = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    public static void error(String message) {
        Notification n = Notification.show(message, 6000, Notification.Position.MIDDLE);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    /** Runs a console action; a refusal or failure becomes an error notification, never a stack trace page. */
    public static boolean attempt(Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return false;
        }
    }
}
