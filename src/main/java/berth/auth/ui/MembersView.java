package berth.auth.ui;

import berth.auth.Appkeys;
import berth.auth.Appkeys.ProjectKey;
import berth.auth.Appkeys.ProjectKeyPermission;
import berth.auth.Projects;
import berth.auth.Projects.Member;
import berth.auth.Role;
import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.ui.Confirmations;
import berth.base.ui.CopyableText;
import berth.base.ui.DomainErrors;
import berth.base.ui.ProjectView;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

/** "Members & Appkeys": an ADMIN adds and removes members, sets roles, and manages project Appkeys. */
@Route("projects/:project/members")
@PermitAll
class MembersView extends ProjectView {

    private final Projects projects;
    private final Appkeys appkeys;
    private final Grid<Member> members = new Grid<>();
    private final Grid<ProjectKey> keys = new Grid<>();

    MembersView(Projects projects, Appkeys appkeys, AuthenticationContext authentication) {
        super(authentication, "80em");
        this.projects = projects;
        this.appkeys = appkeys;

        members.setId("members");
        members.addColumn(Member::email).setHeader(getTranslation("members.email")).setAutoWidth(true);
        members.addComponentColumn(this::roleSelect).setHeader(getTranslation("members.role")).setAutoWidth(true).setFlexGrow(0);
        members.addComponentColumn(this::removeButton).setAutoWidth(true).setFlexGrow(0);
        members.setAllRowsVisible(true);

        keys.setId("project-appkeys");
        keys.addColumn(ProjectKey::name).setHeader(getTranslation("appkeys.name")).setAutoWidth(true);
        keys.addColumn(ProjectKey::username).setHeader(getTranslation("appkeys.username")).setAutoWidth(true).setPartNameGenerator(k -> "berth-mono");
        keys.addColumn(k -> getTranslation("appkeys.permission." + k.permission().name().toLowerCase())).setHeader(getTranslation("appkeys.permission")).setAutoWidth(true);
        keys.addColumn(k -> format(k.expiresAt(), "appkeys.never")).setHeader(getTranslation("appkeys.expires")).setAutoWidth(true);
        keys.addColumn(k -> format(k.lastUsedAt(), "appkeys.unused")).setHeader(getTranslation("appkeys.last-used")).setAutoWidth(true);
        keys.addComponentColumn(this::revokeButton).setAutoWidth(true).setFlexGrow(0);
        keys.setAllRowsVisible(true);
        keys.setEmptyStateText(getTranslation("appkeys.empty"));
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        if (!Toasts.attempt(() -> projects.members(me, project)) || !Toasts.attempt(() -> appkeys.projectKeys(me, project))) {
            add(new H2(project), new Paragraph(getTranslation("members.admins-only")));
            return;
        }
        EmailField email = new EmailField(getTranslation("members.email"));
        email.setId("new-member-email");
        Select<Role> role = new Select<>();
        role.setLabel(getTranslation("members.role"));
        role.setItems(Role.values());
        role.setValue(Role.MEMBER);
        role.setId("new-member-role");
        Button add = new Button(getTranslation("members.add"), VaadinIcon.PLUS.create(), e -> {
            String who = email.getValue().trim();
            try {
                projects.putMember(me, project, who, role.getValue());
            } catch (berth.base.NotFoundException | InvalidRequestException ex) {
                email.setErrorMessage(getTranslation("members.email.invalid"));
                email.setInvalid(true);
                return;
            } catch (ConflictException ex) {
                Toasts.error(DomainErrors.text(ex));
                return;
            }
            email.setInvalid(false);
            Toasts.success(getTranslation("members.added", who));
            email.clear();
            refresh();
        });
        add.addClickShortcut(Key.ENTER);
        add.setId("add-member");
        HorizontalLayout addRow = new HorizontalLayout(email, role, add);
        addRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        addRow.setWrap(true);

        Button createKey = new Button(getTranslation("appkeys.create"), VaadinIcon.KEY.create(), e -> openCreateKeyDialog());
        createKey.setId("create-appkey");
        add(new H2(getTranslation("members.heading", project)), new H3(getTranslation("members.members")), addRow, members,
                new H3(getTranslation("appkeys.heading")), new Paragraph(getTranslation("appkeys.intro")), createKey, keys);
        refresh();
    }

    private void refresh() {
        members.setItems(projects.members(me, project));
        keys.setItems(appkeys.projectKeys(me, project));
    }

    private Select<Role> roleSelect(Member member) {
        Select<Role> select = new Select<>();
        select.setItems(Role.values());
        select.setValue(member.role());
        select.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                if (Toasts.attempt(() -> projects.putMember(me, project, member.email(), e.getValue()))) {
                    Toasts.success(getTranslation("members.role-changed", member.email(), e.getValue().name()));
                }
                refresh();
            }
        });
        return select;
    }

    private Button removeButton(Member member) {
        Button remove = new Button(VaadinIcon.TRASH.create(), e -> Confirmations.destructive(getTranslation("members.remove"),
                getTranslation("members.remove.confirm", member.email()), getTranslation("members.remove"), () -> {
                    if (Toasts.attempt(() -> projects.removeMember(me, project, member.email()))) {
                        Toasts.success(getTranslation("members.removed", member.email()));
                    }
                    refresh();
                }));
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        remove.setAriaLabel(getTranslation("members.remove"));
        return remove;
    }

    private Button revokeButton(ProjectKey key) {
        Button revoke = new Button(getTranslation("appkeys.revoke"), e -> Confirmations.destructive(getTranslation("appkeys.revoke"),
                getTranslation("appkeys.revoke.confirm", key.username()), getTranslation("appkeys.revoke"), () -> {
                    if (Toasts.attempt(() -> appkeys.revokeProjectKey(me, project, key.id()))) {
                        Toasts.success(getTranslation("appkeys.revoked", key.username()));
                    }
                    refresh();
                }));
        revoke.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return revoke;
    }

    private void openCreateKeyDialog() {
        Dialog dialog = new Dialog(getTranslation("appkeys.create"));
        TextField name = new TextField(getTranslation("appkeys.name"));
        name.setId("appkey-name");
        Select<ProjectKeyPermission> permission = new Select<>();
        permission.setLabel(getTranslation("appkeys.permission"));
        permission.setItems(ProjectKeyPermission.values());
        permission.setItemLabelGenerator(p -> getTranslation("appkeys.permission." + p.name().toLowerCase()));
        permission.setValue(ProjectKeyPermission.PULL);
        DatePicker expires = new DatePicker(getTranslation("appkeys.expires"));
        expires.setHelperText(getTranslation("appkeys.expires.help"));
        VerticalLayout form = new VerticalLayout(name, permission, expires);
        form.setPadding(false);
        Button create = new Button(getTranslation("appkeys.create"), e -> {
            Instant expiry = expires.getValue() == null ? null : expires.getValue().plusDays(1).atStartOfDay(ZoneId.systemDefault()).toInstant();
            try {
                Appkeys.CreatedProjectKey created = appkeys.createProjectKey(me, project, name.getValue().trim(), permission.getValue(), expiry);
                dialog.removeAll();
                dialog.getFooter().removeAll();
                CopyableText user = new CopyableText(created.key().username());
                CopyableText secret = new CopyableText(created.appkey());
                secret.setId("created-appkey");
                dialog.add(new Paragraph(getTranslation("appkeys.created.once")), new Paragraph(getTranslation("appkeys.username")), user,
                        new Paragraph(getTranslation("project.appkey")), secret);
                dialog.getFooter().add(new Button(getTranslation("common.close"), c -> dialog.close()));
                refresh();
            } catch (RuntimeException ex) {
                Toasts.error(DomainErrors.text(ex));
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("create-appkey-confirm");
        dialog.add(form);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), create);
        dialog.open();
    }

    private String format(Instant instant, String noneKey) {
        if (instant == null) {
            return getTranslation(noneKey);
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(getLocale()).withZone(ZoneId.systemDefault()).format(instant);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("project.members-appkeys") + " · " + project;
    }
}
