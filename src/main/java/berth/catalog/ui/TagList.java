package berth.catalog.ui;

import berth.base.ui.Breadcrumbs.InAppLink;
import berth.base.ui.Confirmations;
import berth.base.ui.CopyableText;
import berth.base.ui.Formats;
import berth.base.ui.Polling;
import berth.base.ui.ScreenWidth;
import berth.base.ui.Toasts;
import berth.catalog.Catalog;
import berth.catalog.Catalog.TagSort;
import berth.catalog.RepositorySummary;
import berth.catalog.TagDeletion;
import berth.catalog.TagSummary;
import berth.oci.MediaTypes;
import berth.oci.RepositoryName;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridMultiSelectionModel;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's tags: digest, size, push time, platform, pulls and last pull, pull address; ADMINs select (all, too) and
 * delete tags or the whole repository. The columns fit a laptop screen (long tag names ellipsized,
 * whole on hover), and on a phone only the tag and its pull address stay.
 */
public class TagList extends VerticalLayout {

    private final Catalog catalog;
    private final RepositoryName repository;
    private final Grid<TagSummary> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final String me;
    private final TagDeletion deletion;
    /** Which tags a rule protects (immutable), asked once per tag until the rows are read again. */
    private final Map<String, Optional<String>> protections = new HashMap<>();
    private String seen = "";

    TagList(Catalog catalog, TagDeletion deletion, String me, RepositorySummary summary, String base, boolean admin, Clock clock) {
        this.catalog = catalog;
        this.repository = summary.name();
        this.me = me;
        this.deletion = deletion;
        String project = summary.project();
        setPadding(false);

        filter.setPlaceholder(getTranslation("catalog.filter.tags"));
        filter.setAriaLabel(getTranslation("catalog.filter.tags"));
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setClearButtonVisible(true);
        filter.setId("tag-filter");
        filter.addValueChangeListener(e -> grid.getDataProvider().refreshAll());

        grid.setId("tags");
        grid.addComponentColumn(t -> {
                    Anchor link = InAppLink.to(t.name(), base + "/tags/" + t.name());
                    link.setTitle(t.name());
                    link.addClassName("berth-ellipsis");
                    return protection(t).map(reason -> (Component) locked(link, reason)).orElse(link);
                })
                .setHeader(header("catalog.tag")).setKey("name").setSortProperty("name").setWidth("7em").setFlexGrow(1);
        grid.addComponentColumn(TagList::digest).setHeader(header("catalog.digest")).setKey("digest").setWidth("9.5em").setFlexGrow(0);
        grid.addColumn(t -> Formats.size(t.size())).setHeader(header("catalog.size")).setKey("size").setWidth("5.5em").setFlexGrow(0);
        grid.addComponentColumn(t -> Formats.relative(this, t.pushedAt(), clock)).setHeader(header("catalog.pushed"))
                .setKey("pushed").setSortProperty("pushed").setWidth("7em").setFlexGrow(0);
        grid.addColumn(this::platform).setHeader(header("catalog.platform")).setKey("platform").setWidth("6.5em").setFlexGrow(0)
                .setTooltipGenerator(this::platform);
        grid.addColumn(TagSummary::pullCount).setHeader(header("catalog.pulls.column")).setKey("pulls").setWidth("6em").setFlexGrow(0)
                .setTextAlign(com.vaadin.flow.component.grid.ColumnTextAlign.END);
        grid.addComponentColumn(t -> t.lastPulledAt() == null ? new Span(getTranslation("catalog.never-pulled"))
                        : Formats.relative(this, t.lastPulledAt(), clock))
                .setHeader(header("catalog.last-pull")).setKey("last-pull").setWidth("7em").setFlexGrow(0);
        grid.addComponentColumn(t -> new CopyableText(t.pullByTag()).compact()).setHeader(header("catalog.pull-address"))
                .setKey("pull").setWidth("10em").setFlexGrow(2);
        grid.sort(List.of(new GridSortOrder<>(grid.getColumnByKey("pushed"), SortDirection.DESCENDING)));
        grid.setItems(query -> {
            ListOrder<TagSort> order = ListOrder.of(query, column -> "name".equals(column) ? TagSort.NAME : TagSort.PUSHED_AT,
                    TagSort.PUSHED_AT);
            return catalog.tags(me, repository, filter.getValue(), order.sort(), order.descending(), query.getPage(),
                    query.getPageSize())
                    .map(page -> page.stream()).orElseGet(java.util.stream.Stream::empty);
        }, query -> (int) catalog.tags(me, repository, filter.getValue(), TagSort.NAME, false, 0, 1)
                // A sized list: the grid then offers its select-all box.
                .map(page -> page.getTotalElements()).orElse(0L).longValue());
        grid.getDataProvider().addDataProviderListener(e -> protections.clear());
        grid.setPageSize(50);
        grid.setHeight("60vh");
        grid.setMinHeight("16em");
        grid.setEmptyStateText(getTranslation("catalog.empty.tags"));
        ScreenWidth.whenNarrow(this, narrow -> {
            for (String key : List.of("digest", "size", "pushed", "platform", "pulls", "last-pull")) {
                grid.getColumnByKey(key).setVisible(!narrow);
            }
        });

        HorizontalLayout toolbar = new HorizontalLayout(filter);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        toolbar.setWrap(true);
        filter.setWidth("min(100%, 20em)");
        if (admin) {
            grid.setSelectionMode(Grid.SelectionMode.MULTI);
            // A protected tag has no checkbox, so nothing offers to delete it; TagDeletion refuses it anyway.
            // The grid then hides "select all", so only where a rule may protect a tag of this repository.
            if (deletion.mayProtectSomeTagOf(me, repository)) {
                grid.setItemSelectableProvider(t -> protection(t).isEmpty());
            }
            ((GridMultiSelectionModel<TagSummary>) grid.getSelectionModel())
                    .setSelectAllCheckboxVisibility(GridMultiSelectionModel.SelectAllCheckboxVisibility.VISIBLE);
            Button delete = new Button(getTranslation("catalog.delete"), VaadinIcon.TRASH.create());
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
            delete.setId("delete-tags");
            delete.setEnabled(false);
            grid.addSelectionListener(e -> delete.setEnabled(!e.getAllSelectedItems().isEmpty()));
            delete.addClickListener(e -> confirmDelete(deletion, me));
            Button deleteRepository = new Button(getTranslation("catalog.delete-repository"), VaadinIcon.TRASH.create(),
                    e -> confirmDeleteRepository(deletion, me, summary));
            deleteRepository.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            deleteRepository.setId("delete-repository");
            toolbar.add(delete, deleteRepository);
        }
        H2 heading = new H2(repository.value().substring(project.length() + 1));
        heading.addClassName("berth-break");
        Span count = new Span(getTranslation("catalog.tag-count", summary.tagCount(), Formats.size(summary.totalSize())));
        count.addClassName("berth-muted");
        count.setId("tag-totals");
        add(heading, toolbar, grid, count);
        addAttachListener(e -> seen = fingerprint());
        Polling.whileAttached(this, RepositoryList.POLL_MILLIS, () -> {
            // Re-read only when a push or deletion changed the repository: re-rendering rows that did
            // not change would make the copy buttons flicker under the pointer.
            String now = fingerprint();
            if (grid.getSelectedItems().isEmpty() && !now.equals(seen)) {
                seen = now;
                grid.getDataProvider().refreshAll();
            }
        });
    }

    /** A column header that wraps onto a second line rather than be cut (Korean headers are wider than their columns). */
    private Span header(String key) {
        Span header = new Span(getTranslation(key));
        header.addClassName("berth-grid-header");
        return header;
    }

    private void confirmDelete(TagDeletion deletion, String me) {
        List<TagSummary> chosen = new ArrayList<>(grid.getSelectedItems());
        chosen.sort(Comparator.comparing(TagSummary::name));
        UnorderedList list = new UnorderedList();
        chosen.forEach(t -> list.add(new ListItem(repository + ":" + t.name() + "  (" + shortDigest(t.digest().toString()) + ")")));
        Div text = new Div(new Paragraph(getTranslation("catalog.delete.confirm", chosen.size())), list,
                new Paragraph(getTranslation("catalog.delete.siblings-stay")));
        text.setId("delete-confirm-text");
        text.addClassName("berth-break");
        Confirmations.destructive(getTranslation("catalog.delete"), text, getTranslation("catalog.delete"), () -> {
            List<String> deleted = new ArrayList<>();
            for (TagSummary t : chosen) {
                // Checked again here: the button's absence is a courtesy, this is the rule.
                if (Toasts.attempt(() -> deletion.deleteTag(me, repository, t.name()))) {
                    deleted.add(t.name());
                }
            }
            if (!deleted.isEmpty()) {
                Toasts.success(getTranslation("catalog.deleted", String.join(", ", deleted)));
            }
            grid.deselectAll();
            grid.getDataProvider().refreshAll();
        });
    }

    private void confirmDeleteRepository(TagDeletion deletion, String me, RepositorySummary summary) {
        Paragraph text = new Paragraph(getTranslation("catalog.delete-repository.confirm", repository, summary.tagCount()));
        text.setId("delete-repository-text");
        text.addClassName("berth-break");
        Confirmations.destructive(getTranslation("catalog.delete-repository"), text, getTranslation("catalog.delete-repository"), () -> {
            if (Toasts.attempt(() -> deletion.deleteRepository(me, repository))) {
                Toasts.success(getTranslation("catalog.repository-deleted", repository));
                getUI().ifPresent(ui -> ui.navigate("projects/" + summary.project()));
            }
        });
    }

    private Optional<String> protection(TagSummary t) {
        return protections.computeIfAbsent(t.name(), name -> deletion.protection(me, repository, name, getLocale()));
    }

    /** The tag's link after a lock whose tooltip says which rule keeps the tag. */
    private static Component locked(Anchor link, String reason) {
        Span lock = new Span(VaadinIcon.LOCK.create());
        lock.addClassName("berth-immutable");
        lock.getElement().setAttribute("title", reason);
        lock.getElement().setAttribute("aria-label", reason);
        Span box = new Span(lock, link);
        box.getStyle().set("display", "inline-flex").set("gap", "0.25em").set("align-items", "center").set("min-width", "0");
        return box;
    }

    private String fingerprint() {
        return catalog.repository(me, repository).map(r -> r.tagCount() + "/" + r.lastPushAt() + "/" + r.totalSize()).orElse("");
    }

    private String platform(TagSummary t) {
        if (MediaTypes.isIndex(t.mediaType())) {
            int count = t.platforms() == null || t.platforms().isBlank() ? 0 : t.platforms().split(",").length;
            return getTranslation("catalog.multi-arch", count);
        }
        return t.platforms() == null ? "" : t.platforms();
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(0, Math.min(digest.length(), colon + 13));
    }

    /** The short digest, full on hover, with a dot whose colour is the digest's: tags on one digest match. */
    static Component digest(TagSummary t) {
        Span dot = new Span();
        dot.addClassName("berth-digest-dot");
        dot.getStyle().set("background", "hsl(" + Math.floorMod(t.digest().toString().hashCode(), 360) + " 65% 50%)");
        Span text = new Span(shortDigest(t.digest().toString()));
        text.addClassName("berth-mono");
        Span box = new Span(dot, text);
        box.getElement().setAttribute("title", t.digest().toString());
        box.addClassName("berth-digest");
        return box;
    }


}
