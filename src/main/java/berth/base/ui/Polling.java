package berth.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;

/** A page that follows work going on elsewhere (a run, deliveries) by asking the server again every few seconds while it is shown. */
public final class Polling {

    private Polling() {
    }

    /** Runs {@code refresh} every {@code intervalMillis} while {@code view} is attached; stops polling when it is detached. */
    public static void whileAttached(Component view, int intervalMillis, Runnable refresh) {
        Registration[] listening = new Registration[1];
        view.addAttachListener(attach -> {
            attach.getUI().setPollInterval(intervalMillis);
            listening[0] = attach.getUI().addPollListener(poll -> refresh.run());
        });
        view.addDetachListener(detach -> {
            detach.getUI().setPollInterval(-1);
            if (listening[0] != null) {
                listening[0].remove();
                listening[0] = null;
            }
        });
    }
}
