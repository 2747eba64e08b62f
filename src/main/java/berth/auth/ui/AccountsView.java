package berth.auth.ui;

import berth.auth.Accounts;
import berth.auth.Accounts.AccountSummary;
import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.ui.ConsolePage;
import berth.base.ui.DomainErrors;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.validator.EmailValidator;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;

/** System administrators create the accounts that project ADMINs then add as members. */
@Route("accounts")
@Menu(order = 9, title = "nav.accounts", icon = "USERS")
@RolesAllowed("SYSTEM_ADMIN")
// Someone signed in but not allowed sees the console's 403 page, not a pretended 404.
@AccessDeniedErrorRouter
class AccountsView extends ConsolePage {

    private final Accounts accounts;
    private final Grid<AccountSummary> grid = new Grid<>();

    AccountsView(Accounts accounts, AuthenticationContext authentication) {
        super(authentication, "70em");
        this.accounts = accounts;
        EmailField email = new EmailField(getTranslation("accounts.email"));
        email.setId("new-account-email");
        // The field's own check (in the browser) speaks the same sentence as the Binder's.
        email.setI18n(new EmailField.EmailFieldI18n().setPatternErrorMessage(getTranslation("accounts.email.invalid"))
                .setRequiredErrorMessage(getTranslation("accounts.email.invalid")));
        PasswordField password = new PasswordField(getTranslation("accounts.password"));
        password.setId("new-account-password");
        password.setHelperText(getTranslation("accounts.password.rule"));
        Checkbox systemAdmin = new Checkbox(getTranslation("accounts.system-admin"));
        // Field mistakes show under the field (Binder); only the result of a valid request is a toast.
        Binder<NewAccount> binder = new Binder<>();
        binder.forField(email).asRequired(getTranslation("accounts.email.invalid"))
                .withValidator(new EmailValidator(getTranslation("accounts.email.invalid")))
                .bind(NewAccount::email, NewAccount::email);
        binder.forField(password).asRequired(getTranslation("accounts.password.invalid"))
                .withValidator(p -> p.length() >= 8, getTranslation("accounts.password.invalid"))
                .bind(NewAccount::password, NewAccount::password);
        Button create = new Button(getTranslation("accounts.create"), VaadinIcon.PLUS.create(), e -> {
            NewAccount account = new NewAccount();
            if (!binder.writeBeanIfValid(account)) {
                return;
            }
            try {
                accounts.create(me, account.email(), account.password(), systemAdmin.getValue());
            } catch (ConflictException | InvalidRequestException ex) {
                email.setErrorMessage(DomainErrors.text(ex));
                email.setInvalid(true);
                return;
            }
            Toasts.success(getTranslation("accounts.created", account.email()));
            binder.readBean(new NewAccount());
            systemAdmin.clear();
            refresh();
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("create-account");
        create.addClickShortcut(Key.ENTER);
        HorizontalLayout form = new HorizontalLayout(email, password, systemAdmin, create);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        grid.addColumn(AccountSummary::email).setHeader(getTranslation("accounts.email"));
        grid.addColumn(a -> a.systemAdmin() ? getTranslation("accounts.system-admin") : "").setHeader(getTranslation("accounts.role"));
        grid.addComponentColumn(this::setPasswordButton).setAutoWidth(true).setFlexGrow(0);
        grid.setAllRowsVisible(true);
        grid.setId("accounts");
        add(new H2(getTranslation("nav.accounts")), form, grid);
        refresh();
    }

    private Button setPasswordButton(AccountSummary account) {
        Button button = new Button(getTranslation("accounts.set-password"), VaadinIcon.KEY.create(), e -> openSetPasswordDialog(account));
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        button.setId("set-password-" + account.email());
        return button;
    }

    /** For a forgotten password: the administrator sets a new one and tells its owner another way. */
    private void openSetPasswordDialog(AccountSummary account) {
        Dialog dialog = new Dialog(getTranslation("accounts.set-password.title", account.email()));
        PasswordField password = new PasswordField(getTranslation("account.new-password"));
        password.setHelperText(getTranslation("accounts.password.rule"));
        password.setId("set-password-value");
        password.setWidthFull();
        Button save = new Button(getTranslation("accounts.set-password"), e -> {
            if (Toasts.attempt(() -> accounts.setPassword(me, account.email(), password.getValue()))) {
                dialog.close();
                Toasts.success(getTranslation("accounts.password-set", account.email()));
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setId("set-password-confirm");
        dialog.add(password);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), save);
        dialog.open();
        password.focus();
    }

    /** What the New account form binds to. */
    private static final class NewAccount {
        private String email = "";
        private String password = "";

        String email() {
            return email;
        }

        void email(String value) {
            email = value == null ? "" : value.trim();
        }

        String password() {
            return password;
        }

        void password(String value) {
            password = value == null ? "" : value;
        }
    }

    private void refresh() {
        grid.setItems(accounts.list(me));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.accounts");
    }
}
