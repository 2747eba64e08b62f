package berth.catalog.ui;

import berth.catalog.Catalog.RepositorySort;
import berth.catalog.RepositorySummary;
import berth.catalog.Catalog;
import berth.base.ui.Breadcrumbs.InAppLink;
import berth.base.ui.Formats;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.shared.Registration;
import java.time.Clock;
import java.util.List;

/** A project's repositories: name, tags, size, last push; filter as you type, sort, lazy pages. */
public class RepositoryList extends VerticalLayout {

    /** How often an open list looks for new pushes; the catalog query behind it is one indexed page. */
    static final int POLL_MILLIS = 2000;

    private final Catalog catalog;
    private final String project;
    private final Grid<RepositorySummary> grid = new Grid<>();
    private final TextField filter = new TextField();
    private Registration poll;

    RepositoryList(Catalog catalog, String me, String project, String registryAddress, String base, Clock clock) {
        this.catalog = catalog;
        this.project = project;
        setPadding(false);

        filter.setPlaceholder(getTranslation("catalog.filter.repositories"));
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setClearButtonVisible(true);
        filter.setId("repository-filter");
        filter.addValueChangeListener(e -> grid.getDataProvider().refreshAll());

        grid.setId("repositories");
        grid.addComponentColumn(r -> InAppLink.to(r.name().substring(project.length() + 1), base + "/" + r.name().substring(project.length() + 1)))
                .setHeader(getTranslation("catalog.repository")).setKey("name").setSortProperty("name").setFlexGrow(3);
        grid.addColumn(RepositorySummary::tagCount).setHeader(getTranslation("catalog.tags")).setKey("tags").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> Formats.size(r.totalSize())).setHeader(getTranslation("catalog.size")).setKey("size").setSortProperty("size")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(r -> Formats.relative(this, r.lastPushAt(), clock)).setHeader(getTranslation("catalog.last-push"))
                .setKey("lastPush").setSortProperty("lastPush").setAutoWidth(true).setFlexGrow(0);
        grid.sort(List.of(new GridSortOrder<>(grid.getColumnByKey("lastPush"), SortDirection.DESCENDING)));
        grid.setItems(query -> {
            RepositorySort sort = RepositorySort.LAST_PUSH;
            boolean descending = true;
            if (!query.getSortOrders().isEmpty()) {
                var order = query.getSortOrders().get(0);
                sort = switch (order.getSorted()) {
                    case "name" -> RepositorySort.NAME;
                    case "size" -> RepositorySort.SIZE;
                    default -> RepositorySort.LAST_PUSH;
                };
                descending = order.getDirection() == SortDirection.DESCENDING;
            }
            return catalog.repositories(me, project, filter.getValue(), sort, descending, query.getPage(), query.getPageSize()).stream();
        });
        grid.setPageSize(50);
        grid.setEmptyStateComponent(emptyState(registryAddress));
        grid.setHeight("70vh");
        add(new H2(getTranslation("catalog.repositories")), filter, grid);
    }

    private Div emptyState(String address) {
        Div empty = new Div();
        empty.addClassName("berth-empty");
        empty.setId("repositories-empty");
        Pre commands = new Pre(String.join("\n",
                "docker login " + address,
                "docker tag ubuntu:18.04 " + address + "/ubuntu:18.04",
                "docker push " + address + "/ubuntu:18.04"));
        commands.addClassName("berth-code");
        empty.add(new Paragraph(new Text(getTranslation("catalog.empty.repositories"))), commands);
        return empty;
    }

    @Override
    protected void onAttach(AttachEvent event) {
        // New pushes appear without a reload: the catalog is updated from registry events within a
        // second, and an open list re-reads its visible page every two seconds.
        event.getUI().setPollInterval(POLL_MILLIS);
        poll = event.getUI().addPollListener(e -> grid.getDataProvider().refreshAll());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        event.getUI().setPollInterval(-1);
    }
}
