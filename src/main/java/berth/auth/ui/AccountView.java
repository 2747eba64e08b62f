package berth.auth.ui;

import berth.auth.Accounts;
import berth.base.InvalidRequestException;
import berth.base.TooManyRequestsException;
import berth.base.ui.ConsolePage;
import berth.base.ui.DomainErrors;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/** The signed-in person's own account: who they are, and a new console password. */
@Route("account")
@PermitAll
class AccountView extends ConsolePage {

    AccountView(Accounts accounts, AuthenticationContext authentication) {
        super(authentication, "40em");
        PasswordField current = new PasswordField(getTranslation("account.current-password"));
        current.setId("current-password");
        PasswordField fresh = new PasswordField(getTranslation("account.new-password"));
        fresh.setId("new-password");
        fresh.setHelperText(getTranslation("accounts.password.rule"));
        PasswordField repeated = new PasswordField(getTranslation("account.repeat-password"));
        repeated.setId("repeat-password");
        for (PasswordField field : new PasswordField[] {current, fresh, repeated}) {
            field.setWidthFull();
        }
        Button change = new Button(getTranslation("account.change-password"), e -> {
            // Mistakes show under the field they concern; only the result is a toast.
            current.setInvalid(false);
            repeated.setInvalid(false);
            if (!fresh.getValue().equals(repeated.getValue())) {
                repeated.setErrorMessage(getTranslation("account.passwords-differ"));
                repeated.setInvalid(true);
                return;
            }
            try {
                accounts.changeOwnPassword(me, clientAddress(), current.getValue(), fresh.getValue());
            } catch (InvalidRequestException | TooManyRequestsException ex) {
                current.setErrorMessage(DomainErrors.text(ex));
                current.setInvalid(true);
                return;
            }
            Toasts.success(getTranslation("account.password-changed"));
            current.clear();
            fresh.clear();
            repeated.clear();
        });
        change.addClickShortcut(Key.ENTER);
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        change.setId("change-password");
        Paragraph who = new Paragraph(getTranslation("account.signed-in-as", me));
        add(new H2(getTranslation("account.title")), who, new H3(getTranslation("account.change-password")),
                new Paragraph(getTranslation("account.password-intro")), current, fresh, repeated, change);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("account.title");
    }

    /** The browser's address as the throttle keys it, the same as a failed sign-in from there. */
    private static String clientAddress() {
        VaadinRequest request = VaadinRequest.getCurrent();
        return request == null || request.getRemoteAddr() == null ? "unknown" : request.getRemoteAddr();
    }
}
