package berth.catalog.ui;

import berth.auth.ProjectAccess;
import berth.auth.Projects;
import berth.base.ui.Breadcrumbs;
import berth.base.ui.ProjectView;
import berth.catalog.Catalog;
import berth.catalog.RepositoryPath;
import berth.catalog.RepositoryStorage;
import berth.catalog.RepositorySummary;
import berth.catalog.TagDeletion;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Everything under {@code /projects/{project}/repositories}: the repository list, a repository's
 * tags ({@code …/repositories/{repo}}), and a tag's details ({@code …/repositories/{repo}/tags/{tag}}).
 * One route, because repository names hold slashes and only a route's last parameter may.
 */
@Route("projects/:project/repositories/:path*")
@PermitAll
public class RepositoryBrowserView extends ProjectView {

    private final Catalog catalog;
    private final TagDeletion deletion;
    private final ProjectAccess access;
    private final Projects projects;
    private final Clock clock;
    private final List<RepositoryStorage> storage;
    private String title = "";

    RepositoryBrowserView(Catalog catalog, TagDeletion deletion, ProjectAccess access, Projects projects, Clock clock,
            List<RepositoryStorage> storage, AuthenticationContext authentication) {
        super(authentication, "90em");
        this.catalog = catalog;
        this.storage = storage;
        this.deletion = deletion;
        this.access = access;
        this.projects = projects;
        this.clock = clock;
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        String path = event.getRouteParameters().get("path").orElse("").replaceAll("^/+|/+$", "");
        getUI().ifPresent(ui -> ui.setPollInterval(-1));
        // Not a member: the styled 403 page, with the service's own words.
        access.require(me, project, ProjectAccess.Action.BROWSE);
        String base = "projects/" + project + "/repositories";
        Breadcrumbs crumbs = crumbsToProject();
        boolean admin = access.isAdmin(me, project);
        String registryAddress = projects.registryAddress(project);
        if (path.isEmpty()) {
            title = getTranslation("catalog.repositories") + " · " + project;
            crumbs.current(getTranslation("catalog.repositories"));
            add(crumbs, new RepositoryList(catalog, storage, me, project, registryAddress, base, clock, admin));
            return;
        }
        crumbs.link(getTranslation("catalog.repositories"), base);
        RepositoryPath target = catalog.path(me, project, path);
        String relative = target.repository().value().substring(project.length() + 1);
        Optional<RepositorySummary> repository = catalog.repository(me, target.repository());
        if (repository.isEmpty()) {
            title = relative + " · " + project;
            crumbs.current(relative);
            Paragraph missing = new Paragraph(getTranslation("catalog.no-such-repository", relative, project));
            missing.setId("no-such-repository");
            add(crumbs, new H2(relative), missing, Breadcrumbs.InAppLink.to(getTranslation("catalog.back-to-project", project), "projects/" + project));
            return;
        }
        if (target.kind() != RepositoryPath.Kind.TAG) {
            title = relative + " · " + project;
            crumbs.current(relative);
            add(crumbs, new TagList(catalog, deletion, me, repository.get(), base + "/" + relative, admin, clock));
            return;
        }
        title = relative + ":" + target.tag() + " · " + project;
        crumbs.link(relative, base + "/" + relative).current(target.tag());
        add(crumbs, new TagDetailsPanel(catalog, deletion, me, target.repository(), target.tag(), base + "/" + relative, admin));
    }

    @Override
    public String getPageTitle() {
        return title;
    }
}
