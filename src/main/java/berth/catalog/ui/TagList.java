package berth.catalog.ui;

import berth.catalog.Catalog.TagSort;
import berth.catalog.TagDeletion;
import berth.catalog.TagSummary;
import berth.catalog.Catalog;
import berth.auth.ProjectAccess;
import berth.base.ui.Breadcrumbs.InAppLink;
import berth.base.ui.CopyableText;
import berth.base.ui.Formats;
import berth.base.ui.Toasts;
import berth.oci.MediaTypes;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
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
import com.vaadin.flow.shared.Registration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A repository's tags: digest, size, push time, platform, pull address; ADMINs select and delete. */
public class TagList extends VerticalLayout {

    private final Catalog catalog;
    private final String repository;
    private final Grid<TagSummary> grid = new Grid<>();
    private final TextField filter = new TextField();
    private Registration poll;

    TagList(Catalog catalog, TagDeletion deletion, String me, String project, String repository, String base,
            boolean admin, Clock clock) {
        this.catalog = catalog;
        this.repository = repository;
        setPadding(false);

        filter.setPlaceholder(getTranslation("catalog.filter.tags"));
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setClearButtonVisible(true);
        filter.setId("tag-filter");
        filter.addValueChangeListener(e -> grid.getDataProvider().refreshAll());

        grid.setId("tags");
        grid.addComponentColumn(t -> InAppLink.to(t.name(), base + "/tags/" + t.name()))
                .setHeader(getTranslation("catalog.tag")).setKey("name").setSortProperty("name").setAutoWidth(true);
        grid.addComponentColumn(TagList::digest).setHeader(getTranslation("catalog.digest")).setKey("digest").setAutoWidth(true);
        grid.addColumn(t -> Formats.size(t.size())).setHeader(getTranslation("catalog.size")).setKey("size").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(t -> Formats.relative(this, t.pushedAt(), clock)).setHeader(getTranslation("catalog.pushed"))
                .setKey("pushed").setSortProperty("pushed").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(this::platform).setHeader(getTranslation("catalog.platform")).setKey("platform").setAutoWidth(true);
        grid.addComponentColumn(t -> new CopyableText(t.pullByTag())).setHeader(getTranslation("catalog.pull-address"))
                .setKey("pull").setFlexGrow(3);
        grid.sort(List.of(new GridSortOrder<>(grid.getColumnByKey("pushed"), SortDirection.DESCENDING)));
        grid.setItems(query -> {
            TagSort sort = TagSort.PUSHED_AT;
            boolean descending = true;
            if (!query.getSortOrders().isEmpty()) {
                var order = query.getSortOrders().get(0);
                sort = "name".equals(order.getSorted()) ? TagSort.NAME : TagSort.PUSHED_AT;
                descending = order.getDirection() == SortDirection.DESCENDING;
            }
            return catalog.tags(me, repository, filter.getValue(), sort, descending, query.getPage(), query.getPageSize())
                    .map(page -> page.stream()).orElseGet(java.util.stream.Stream::empty);
        });
        grid.setPageSize(50);
        grid.setHeight("65vh");
        grid.setEmptyStateText(getTranslation("catalog.empty.tags"));

        HorizontalLayout toolbar = new HorizontalLayout(filter);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (admin) {
            grid.setSelectionMode(Grid.SelectionMode.MULTI);
            Button delete = new Button(getTranslation("catalog.delete"), VaadinIcon.TRASH.create());
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
            delete.setId("delete-tags");
            delete.setEnabled(false);
            grid.addSelectionListener(e -> delete.setEnabled(!e.getAllSelectedItems().isEmpty()));
            delete.addClickListener(e -> confirmDelete(deletion, me));
            toolbar.add(delete);
        }
        add(new H2(repository.substring(project.length() + 1)), toolbar, grid);
    }

    private void confirmDelete(TagDeletion deletion, String me) {
        List<TagSummary> chosen = new ArrayList<>(grid.getSelectedItems());
        chosen.sort(Comparator.comparing(TagSummary::name));
        UnorderedList list = new UnorderedList();
        chosen.forEach(t -> list.add(new ListItem(repository + ":" + t.name() + "  (" + shortDigest(t.digest()) + ")")));
        Div text = new Div(new Paragraph(getTranslation("catalog.delete.confirm", chosen.size())), list,
                new Paragraph(getTranslation("catalog.delete.siblings-stay")));
        text.setId("delete-confirm-text");
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader(getTranslation("catalog.delete"));
        confirm.setText(text);
        confirm.setCancelable(true);
        confirm.setCancelText(getTranslation("common.cancel"));
        confirm.setConfirmText(getTranslation("catalog.delete"));
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(ok -> {
            List<String> deleted = new ArrayList<>();
            for (TagSummary t : chosen) {
                boolean done = Toasts.attempt(() -> {
                    // Checked again here: the button's absence is a courtesy, this is the rule.
                    deletion.deleteTag(me, repository, t.name());
                });
                if (done) {
                    deleted.add(t.name());
                }
            }
            if (!deleted.isEmpty()) {
                Toasts.success(getTranslation("catalog.deleted", String.join(", ", deleted)));
            }
            grid.deselectAll();
            grid.getDataProvider().refreshAll();
        });
        confirm.open();
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
        dot.getStyle().set("background", "hsl(" + Math.floorMod(t.digest().hashCode(), 360) + " 65% 50%)");
        Span text = new Span(shortDigest(t.digest()));
        text.addClassName("berth-mono");
        Span box = new Span(dot, text);
        box.getElement().setAttribute("title", t.digest());
        box.addClassName("berth-digest");
        return box;
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().setPollInterval(RepositoryList.POLL_MILLIS);
        poll = event.getUI().addPollListener(e -> {
            if (grid.getSelectedItems().isEmpty()) {
                grid.getDataProvider().refreshAll();
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        event.getUI().setPollInterval(-1);
    }
}
