package berth.catalog.ui;

import berth.auth.Appkeys;
import berth.auth.Projects;
import berth.auth.Projects.ProjectSummary;
import berth.auth.Role;
import berth.base.ui.Breadcrumbs;
import berth.base.ui.Confirmations;
import berth.base.ui.CopyableText;
import berth.base.ui.DomainErrors;
import berth.base.ui.ProjectSection;
import berth.base.ui.ProjectView;
import berth.base.ui.Toasts;
import berth.catalog.Catalog;
import berth.catalog.RepositoryStorage;
import berth.oci.Access;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
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
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guide's service page: the project's name and the person's role, the guide's two buttons
 * ("Registry address", "URL & Appkey"), then the project's repositories. What it tells a person to
 * run depends on their role: only those who may push are shown push commands.
 */
@Route("projects/:project")
@PermitAll
public class ProjectPage extends ProjectView {

    private final Projects projects;
    private final Appkeys appkeys;
    private final Catalog catalog;
    private final Clock clock;
    private final List<ProjectSection> sections;
    private final List<RepositoryStorage> storage;

    ProjectPage(Projects projects, Appkeys appkeys, Catalog catalog, Clock clock, List<ProjectSection> sections,
                List<RepositoryStorage> storage, AuthenticationContext authentication) {
        super(authentication, "90em");
        this.sections = sections;
        this.storage = storage;
        this.projects = projects;
        this.appkeys = appkeys;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        // A refusal (not a member) becomes the styled 403 page.
        ProjectSummary summary = projects.get(me, project);
        Span role = new Span(summary.role() == null ? getTranslation("projects.role.system-admin") : summary.role().name());
        role.getElement().getThemeList().add("badge");
        role.setId("project-role");
        H2 heading = new H2(summary.name());
        heading.setId("project-name");
        HorizontalLayout title = new HorizontalLayout(heading, role);
        title.setAlignItems(FlexComponent.Alignment.BASELINE);

        Button address = new Button(getTranslation("project.registry-address"), VaadinIcon.GLOBE.create(), e -> openAddressDialog(summary));
        address.setId("registry-address-button");
        Button appkey = new Button(getTranslation("project.url-appkey"), VaadinIcon.KEY.create(), e -> openAppkeyDialog());
        appkey.setId("url-appkey-button");
        address.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        appkey.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout actions = new HorizontalLayout(address, appkey);
        actions.setWrap(true);
        actions.setAlignItems(FlexComponent.Alignment.CENTER);
        boolean admin = summary.role() == Role.ADMIN || summary.role() == null;
        // Other modules serve these pages; linking by address keeps the catalog free of a dependency on them.
        sections.stream().filter(section -> admin || !section.forAdminsOnly())
                .sorted(Comparator.comparingInt(ProjectSection::order))
                .forEach(section -> {
                    Anchor link = Breadcrumbs.InAppLink.to(getTranslation(section.labelKey()), "projects/" + project + "/" + section.path());
                    link.setId(section.path() + "-link");
                    actions.add(link);
                });
        boolean mayPush = summary.role() == null || summary.role().registryActions().contains(Access.PUSH);
        Paragraph help = new Paragraph(getTranslation(mayPush ? "project.intro.push" : "project.intro.pull"));
        help.setId("project-help");
        Breadcrumbs crumbs = new Breadcrumbs().link(getTranslation("nav.projects"), "projects").current(project);
        add(crumbs, title, actions, help, commands(summary.registryAddress(), mayPush),
                new RepositoryList(catalog, storage, me, project, summary.registryAddress(), "projects/" + project + "/repositories", clock, mayPush));
    }

    /** The guide's commands; the push lines only for those who may push. */
    static Component commands(String registryAddress, boolean mayPush) {
        List<String> lines = new ArrayList<>();
        lines.add("docker login " + registryAddress);
        if (mayPush) {
            lines.add("docker tag ubuntu:18.04 " + registryAddress + "/ubuntu:18.04");
            lines.add("docker push " + registryAddress + "/ubuntu:18.04");
        }
        lines.add("docker pull " + registryAddress + "/ubuntu:18.04");
        Pre pre = new Pre(String.join("\n", lines));
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
                new Paragraph(getTranslation("project.registry-address.rules")),
                commands(summary.registryAddress(), summary.role() == null || summary.role().registryActions().contains(Access.PUSH)));
        dialog.getFooter().add(new Button(getTranslation("common.close"), e -> dialog.close()));
        dialog.setWidth("min(90vw, 44em)");
        dialog.open();
    }

    private void openAppkeyDialog() {
        Appkeys.PersonalAppkey key;
        try {
            key = appkeys.personal(me, project);
        } catch (RuntimeException e) {
            Toasts.error(DomainErrors.text(e));
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
        Button regenerate = new Button(getTranslation("project.appkey.regenerate"), VaadinIcon.REFRESH.create(),
                e -> Confirmations.destructive(getTranslation("project.appkey.regenerate"), getTranslation("project.appkey.regenerate.confirm"),
                        getTranslation("project.appkey.regenerate"), () -> {
                            if (Toasts.attempt(() -> secret.setText(appkeys.regenerate(me, project).appkey()))) {
                                Toasts.success(getTranslation("project.appkey.regenerated"));
                            }
                        }));
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
