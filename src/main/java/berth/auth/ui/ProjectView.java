package berth.auth.ui;

import berth.auth.Appkeys;
import berth.auth.Projects;
import berth.auth.Projects.ProjectSummary;
import berth.auth.Role;
import berth.base.BerthSettings;
import berth.base.ui.CopyableText;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * A project's page with the guide's two buttons: "Registry address" and "URL & Appkey" - everything
 * a developer needs for {@code docker login}, tag and push.
 */
@Route("projects/:project")
@PermitAll
class ProjectView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Projects projects;
    private final Appkeys appkeys;
    private final BerthSettings settings;
    private final String me;
    private String project = "";

    ProjectView(Projects projects, Appkeys appkeys, BerthSettings settings, AuthenticationContext authentication) {
        this.projects = projects;
        this.appkeys = appkeys;
        this.settings = settings;
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("70em");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        project = event.getRouteParameters().get("project").orElse("");
        removeAll();
        ProjectSummary summary;
        try {
            summary = projects.get(me, project);
        } catch (RuntimeException e) {
            add(new H2(project), new Paragraph(e.getMessage()));
            return;
        }
        Span role = new Span(summary.role() == null ? getTranslation("projects.role.system-admin") : summary.role().name());
        role.getElement().getThemeList().add("badge");
        role.setId("project-role");
        H2 heading = new H2(summary.name());
        HorizontalLayout title = new HorizontalLayout(heading, role);
        title.setAlignItems(FlexComponent.Alignment.BASELINE);

        Button address = new Button(getTranslation("project.registry-address"), VaadinIcon.GLOBE.create(), e -> openAddressDialog(summary));
        address.setId("registry-address-button");
        Button appkey = new Button(getTranslation("project.url-appkey"), VaadinIcon.KEY.create(), e -> openAppkeyDialog());
        appkey.setId("url-appkey-button");
        address.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        appkey.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout actions = new HorizontalLayout(address, appkey);
        boolean admin = summary.role() == Role.ADMIN || summary.role() == null;
        Anchor repositories = new Anchor("projects/" + project + "/repositories", getTranslation("project.repositories"));
        repositories.setId("repositories-link");
        actions.add(repositories);
        // The registry module serves the page; a link by address keeps auth free of a dependency on it.
        Anchor storage = new Anchor("projects/" + project + "/storage", getTranslation("project.storage"));
        storage.setId("storage-link");
        actions.add(storage);
        if (admin) {
            Anchor members = new Anchor("projects/" + project + "/members", getTranslation("project.members-appkeys"));
            members.setId("members-link");
            actions.add(members);
        }
        actions.setAlignItems(FlexComponent.Alignment.CENTER);
        add(title, actions, new Paragraph(getTranslation("project.intro")), commands(summary.registryAddress()));
    }

    private Component commands(String registryAddress) {
        Pre pre = new Pre(String.join("\n",
                "docker login " + registryAddress,
                "docker tag ubuntu:18.04 " + registryAddress + "/ubuntu:18.04",
                "docker push " + registryAddress + "/ubuntu:18.04",
                "docker pull " + registryAddress + "/ubuntu:18.04"));
        pre.addClassName("berth-code");
        pre.setId("docker-commands");
        return pre;
    }

    private void openAddressDialog(ProjectSummary summary) {
        Dialog dialog = new Dialog(getTranslation("project.registry-address"));
        dialog.setId("registry-address-dialog");
        CopyableText address = new CopyableText(summary.registryAddress());
        address.setId("registry-address");
        dialog.add(new Paragraph(getTranslation("project.registry-address.help")), address,
                new Paragraph(getTranslation("project.registry-address.rules")), commands(summary.registryAddress()));
        dialog.getFooter().add(new Button(getTranslation("common.close"), e -> dialog.close()));
        dialog.setWidth("min(90vw, 44em)");
        dialog.open();
    }

    private void openAppkeyDialog() {
        Appkeys.PersonalAppkey key;
        try {
            key = appkeys.personal(me, project);
        } catch (RuntimeException e) {
            Toasts.error(e.getMessage());
            return;
        }
        Dialog dialog = new Dialog(getTranslation("project.url-appkey"));
        dialog.setId("url-appkey-dialog");
        CopyableText url = new CopyableText(key.registryUrl());
        url.setId("registry-url-value");
        CopyableText username = new CopyableText(key.username());
        username.setId("appkey-username");
        CopyableText secret = new CopyableText(key.appkey());
        secret.setId("appkey-value");
        Div facts = new Div(label("project.registry-url"), url, label("project.username"), username, label("project.appkey"), secret);
        facts.addClassName("berth-facts");
        Button regenerate = new Button(getTranslation("project.appkey.regenerate"), VaadinIcon.REFRESH.create(), e -> {
            ConfirmDialog confirm = new ConfirmDialog(getTranslation("project.appkey.regenerate"),
                    getTranslation("project.appkey.regenerate.confirm"), getTranslation("project.appkey.regenerate"), ok -> {
                        if (Toasts.attempt(() -> secret.setText(appkeys.regenerate(me, project).appkey()))) {
                            Toasts.success(getTranslation("project.appkey.regenerated"));
                        }
                    }, getTranslation("common.cancel"), cancel -> { });
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        regenerate.addThemeVariants(ButtonVariant.LUMO_ERROR);
        regenerate.setId("regenerate-appkey");
        dialog.add(new Paragraph(getTranslation("project.url-appkey.help")), facts);
        dialog.getFooter().add(regenerate, new Button(getTranslation("common.close"), e -> dialog.close()));
        dialog.setWidth("min(90vw, 52em)");
        dialog.open();
    }

    private Span label(String key) {
        Span span = new Span(getTranslation(key));
        span.addClassName("berth-fact-label");
        return span;
    }

    @Override
    public String getPageTitle() {
        return project;
    }
}
