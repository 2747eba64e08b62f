package berth.auth.ui;

import berth.auth.Accounts;
import berth.auth.Accounts.AccountSummary;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;

/** System administrators create the accounts that project ADMINs then add as members. */
@Route("accounts")
@Menu(order = 9, title = "nav.accounts", icon = "USERS")
@RolesAllowed("SYSTEM_ADMIN")
class AccountsView extends VerticalLayout implements HasDynamicTitle {

    private final Accounts accounts;
    private final String me;
    private final Grid<AccountSummary> grid = new Grid<>();

    AccountsView(Accounts accounts, AuthenticationContext authentication) {
        this.accounts = accounts;
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("70em");
        EmailField email = new EmailField(getTranslation("accounts.email"));
        PasswordField password = new PasswordField(getTranslation("accounts.password"));
        password.setHelperText(getTranslation("accounts.password.rule"));
        Checkbox systemAdmin = new Checkbox(getTranslation("accounts.system-admin"));
        Button create = new Button(getTranslation("accounts.create"), VaadinIcon.PLUS.create(), e -> {
            if (Toasts.attempt(() -> accounts.create(me, email.getValue(), password.getValue(), systemAdmin.getValue()))) {
                Toasts.success(getTranslation("accounts.created", email.getValue()));
                email.clear();
                password.clear();
                systemAdmin.clear();
                refresh();
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
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

    private void refresh() {
        grid.setItems(accounts.list(me));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.accounts");
    }
}
