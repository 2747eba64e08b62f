package berth.catalog.ui;

import berth.base.ui.Breadcrumbs.InAppLink;
import berth.base.ui.CopyableText;
import berth.base.ui.Formats;
import berth.base.ui.Polling;
import berth.base.ui.ScreenWidth;
import berth.catalog.Catalog;
import berth.catalog.Catalog.RepositorySort;
import berth.catalog.RepositoryStorage;
import berth.catalog.RepositorySummary;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's repositories: name, tags, size, storage used (when a {@link RepositoryStorage} bean
 * counts it), last push and a pull command to copy; filter as you type, sort, lazy pages, totals
 * under the grid. On a phone only the name, tags and pull command stay.
 */
public class RepositoryList extends VerticalLayout {

    /** How often an open list looks for new pushes; the catalog query behind it is one indexed page. */
    static final int POLL_MILLIS = 2000;

    private final Catalog catalog;
    private final List<RepositoryStorage> storage;
    /** Bytes per repository from {@link #storage}, re-read with the totals. */
    private Map<String, Long> used = Map.of();
    private final String project;
    private final Grid<RepositorySummary> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final Span totals = new Span();
    private final String me;
    private String seen = "";

    RepositoryList(Catalog catalog, List<RepositoryStorage> storage, String me, String project, String registryAddress, String base,
                   Clock clock, boolean mayPush) {
        this.catalog = catalog;
        this.storage = storage;
        this.project = project;
        this.me = me;
        setPadding(false);

        filter.setPlaceholder(getTranslation("catalog.filter.repositories"));
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setClearButtonVisible(true);
        filter.setId("repository-filter");
        filter.setAriaLabel(getTranslation("catalog.filter.repositories"));
        filter.addValueChangeListener(e -> refresh());

        grid.setId("repositories");
        grid.addComponentColumn(r -> {
                    String relative = r.name().value().substring(project.length() + 1);
                    Anchor link = InAppLink.to(relative, base + "/" + relative);
                    link.setTitle(relative);
                    return link;
                })
                .setHeader(getTranslation("catalog.repository")).setKey("name").setSortProperty("name").setWidth("10em").setFlexGrow(3);
        grid.addColumn(RepositorySummary::tagCount).setHeader(getTranslation("catalog.tags")).setKey("tags").setWidth("5em").setFlexGrow(0);
        grid.addColumn(r -> Formats.size(r.totalSize())).setHeader(getTranslation("catalog.size")).setKey("size").setSortProperty("size")
                .setWidth("7em").setFlexGrow(0);
        grid.addColumn(r -> used.containsKey(r.name().value()) ? Formats.size(used.get(r.name().value())) : "–")
                .setHeader(getTranslation("storage.repository-column")).setKey("storage").setWidth("7em").setFlexGrow(0)
                .setVisible(!storage.isEmpty());
        grid.addComponentColumn(r -> Formats.relative(this, r.lastPushAt(), clock)).setHeader(getTranslation("catalog.last-push"))
                .setKey("lastPush").setSortProperty("lastPush").setWidth("9em").setFlexGrow(0);
        String host = registryAddress.substring(0, registryAddress.length() - project.length() - 1);
        grid.addComponentColumn(r -> new CopyableText("docker pull " + host + "/" + r.name()).compact())
                .setHeader(getTranslation("catalog.pull-command")).setKey("pull").setWidth("12em").setFlexGrow(2);
        grid.sort(List.of(new GridSortOrder<>(grid.getColumnByKey("lastPush"), SortDirection.DESCENDING)));
        grid.setItems(query -> {
            ListOrder<RepositorySort> order = ListOrder.of(query, column -> switch (column) {
                case "name" -> RepositorySort.NAME;
                case "size" -> RepositorySort.SIZE;
                default -> RepositorySort.LAST_PUSH;
            }, RepositorySort.LAST_PUSH);
            return catalog.repositories(me, project, filter.getValue(), order.sort(), order.descending(), query.getPage(),
                    query.getPageSize()).stream();
        });
        grid.setPageSize(50);
        grid.setEmptyStateComponent(emptyState(mayPush));
        grid.setHeight("60vh");
        grid.setMinHeight("16em");
        totals.setId("repository-totals");
        totals.addClassName("berth-muted");
        filter.setWidth("min(100%, 24em)");
        ScreenWidth.whenNarrow(this, narrow -> {
            grid.getColumnByKey("size").setVisible(!narrow);
            grid.getColumnByKey("storage").setVisible(!narrow && !storage.isEmpty());
            grid.getColumnByKey("lastPush").setVisible(!narrow);
        });
        add(new H2(getTranslation("catalog.repositories")), filter, grid, totals);
        refresh();
        // New pushes appear without a reload: the catalog is updated from registry events within a
        // second, and an open list re-reads its visible page every two seconds.
        Polling.whileAttached(this, POLL_MILLIS, this::refresh);
    }

    private void refresh() {
        // One page of the largest size is enough for the totals of any list a person reads on screen.
        var all = catalog.repositories(me, project, filter.getValue(), RepositorySort.NAME, false, 0, Catalog.MAX_PAGE_SIZE);
        long tags = all.stream().mapToLong(RepositorySummary::tagCount).sum();
        long bytes = all.stream().mapToLong(RepositorySummary::totalSize).sum();
        used = storageUsed();
        // Rows are re-read only when something changed, so copy buttons do not flicker under the pointer.
        String now = filter.getValue() + all.getContent() + used;
        if (!now.equals(seen)) {
            seen = now;
            grid.getDataProvider().refreshAll();
        }
        totals.setText(getTranslation("catalog.totals", all.getTotalElements(), tags, Formats.size(bytes)));
    }

    /** The storage column's figures; none (a dash) when nothing counts them or counting failed, which must not cost the list. */
    private Map<String, Long> storageUsed() {
        Map<String, Long> bytes = new HashMap<>();
        for (RepositoryStorage source : storage) {
            try {
                bytes.putAll(source.bytesByRepository(me, project));
            } catch (RuntimeException e) {
                return Map.of();
            }
        }
        return bytes;
    }

    private Div emptyState(boolean mayPush) {
        Div empty = new Div();
        empty.addClassName("berth-empty");
        empty.setId("repositories-empty");
        empty.add(new Paragraph(new Text(getTranslation(mayPush ? "catalog.empty.repositories" : "catalog.empty.repositories.pull"))));
        return empty;
    }


}
