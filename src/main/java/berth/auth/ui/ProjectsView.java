package berth.auth.ui;

import berth.auth.Projects;
import berth.auth.Projects.ProjectSummary;
import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.ui.Breadcrumbs;
import berth.base.ui.ConsolePage;
import berth.base.ui.DomainErrors;
import berth.base.ui.Toasts;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/** The projects the signed-in person belongs to; a way in to each, and to create one. */
@Route("projects")
@Menu(order = 1, title = "nav.projects", icon = "FOLDER_O")
@PermitAll
class ProjectsView extends ConsolePage {

    private final Projects projects;
    private final Grid<ProjectSummary> grid = new Grid<>();

    ProjectsView(Projects projects, AuthenticationContext authentication) {
        super(authentication, "70em");
        this.projects = projects;

        H2 heading = new H2(getTranslation("projects.heading"));
        HorizontalLayout top = new HorizontalLayout(heading);
        top.setWidthFull();
        top.setAlignItems(FlexComponent.Alignment.BASELINE);
        top.expand(heading);
        if (projects.mayCreateProjects(me)) {
            Button create = new Button(getTranslation("projects.create"), VaadinIcon.PLUS.create(), e -> openCreateDialog());
            create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            create.setId("create-project");
            top.add(create);
        }

        grid.addComponentColumn(p -> Breadcrumbs.InAppLink.to(p.name(), "projects/" + p.name())).setHeader(getTranslation("projects.name"))
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(p -> p.role() == null ? getTranslation("projects.role.system-admin") : p.role().name())
                .setHeader(getTranslation("projects.role")).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ProjectSummary::registryAddress).setHeader(getTranslation("projects.registry-address"))
                .setPartNameGenerator(p -> "berth-mono");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.setId("projects");
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate("projects/" + e.getItem().name())));
        grid.setEmptyStateText(getTranslation("projects.empty"));
        refresh();
        add(top, new Paragraph(getTranslation("projects.intro")), grid);
    }

    private void refresh() {
        grid.setItems(projects.visibleTo(me));
    }

    private void openCreateDialog() {
        Dialog dialog = new Dialog(getTranslation("projects.create"));
        TextField name = new TextField(getTranslation("projects.name"));
        name.setHelperText(getTranslation("projects.name.rule"));
        name.setId("project-name");
        name.setWidthFull();
        Button save = new Button(getTranslation("projects.create"), e -> {
            String wanted = name.getValue().trim();
            try {
                projects.create(me, wanted);
            } catch (InvalidRequestException ex) {
                name.setErrorMessage(getTranslation("projects.name.invalid"));
                name.setInvalid(true);
                return;
            } catch (ConflictException ex) {
                name.setErrorMessage(DomainErrors.text(ex));
                name.setInvalid(true);
                return;
            }
            dialog.close();
            Toasts.success(getTranslation("projects.created", wanted));
            getUI().ifPresent(ui -> ui.navigate("projects/" + wanted));
        });
        save.addClickShortcut(Key.ENTER).listenOn(dialog);
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setId("create-project-confirm");
        dialog.add(name);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), save);
        dialog.open();
        name.focus();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.projects");
    }
}
