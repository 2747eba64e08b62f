package berth.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;

/** The question before anything that cannot be undone: a red confirm button named for the act, and Cancel. */
public final class Confirmations {

    private Confirmations() {
    }

    public static ConfirmDialog destructive(String header, Component text, String confirm, Runnable action) {
        ConfirmDialog dialog = dialog(header, confirm, action);
        dialog.setText(text);
        dialog.open();
        return dialog;
    }

    public static ConfirmDialog destructive(String header, String text, String confirm, Runnable action) {
        ConfirmDialog dialog = dialog(header, confirm, action);
        dialog.setText(text);
        dialog.open();
        return dialog;
    }

    private static ConfirmDialog dialog(String header, String confirm, Runnable action) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader(header);
        dialog.setCancelable(true);
        dialog.setCancelText(dialog.getTranslation("common.cancel"));
        dialog.setConfirmText(confirm);
        dialog.setConfirmButtonTheme("error primary");
        dialog.addConfirmListener(ok -> action.run());
        return dialog;
    }
}
