package berth.registry.ui;

import berth.base.ui.ConsolePage;
import berth.base.ui.Formats;
import berth.base.ui.Polling;
import berth.base.ui.Toasts;
import berth.registry.gc.GarbageCollection;
import berth.registry.gc.GcRun;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Storage for system administrators: garbage collection runs (the last ones, the next scheduled
 * one), "Run now" and "Dry run" with the list of what would go. The page polls while a run goes on.
 * In external mode it shows how CNCF Distribution's own collector is run instead.
 */
@Route("storage")
@Menu(order = 9, title = "nav.storage", icon = "DATABASE")
@RolesAllowed("SYSTEM_ADMIN")
class StorageView extends ConsolePage {

    private final GarbageCollection collection;
    private final Grid<GcRun> runs = new Grid<>();
    private final Span next = new Span();
    private final Checkbox deleteUntagged = new Checkbox();
    private final Button run = new Button();
    private final Button dryRun = new Button();
    private final TextArea items = new TextArea();

    StorageView(GarbageCollection collection, AuthenticationContext authentication) {
        super(authentication, "80em");
        this.collection = collection;
        add(new H2(getTranslation("nav.storage")));
        if (!collection.collects()) {
            Paragraph external = new Paragraph(GarbageCollection.externalProcedure());
            external.setId("gc-external");
            add(new Paragraph(getTranslation("storage.gc.external")), external);
            return;
        }
        add(new Paragraph(getTranslation("storage.gc.explained")));
        Polling.whileAttached(this, 2000, this::refresh);
        deleteUntagged.setLabel(getTranslation("storage.gc.delete-untagged"));
        deleteUntagged.setId("gc-delete-untagged");
        run.setText(getTranslation("storage.gc.run"));
        run.setIcon(VaadinIcon.TRASH.create());
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        run.setId("gc-run");
        run.addClickListener(e -> start(false));
        dryRun.setText(getTranslation("storage.gc.dry-run"));
        dryRun.setIcon(VaadinIcon.SEARCH.create());
        dryRun.setId("gc-dry-run");
        dryRun.addClickListener(e -> start(true));
        next.setId("gc-next");
        add(new HorizontalLayout(run, dryRun, deleteUntagged), next);

        runs.setId("gc-runs");
        runs.addColumn(r -> Long.toString(r.id())).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        runs.addColumn(r -> getTranslation("storage.gc.state." + r.state().name().toLowerCase(Locale.ROOT))
                + (r.dryRun() ? " (" + getTranslation("storage.gc.dry") + ")" : "")).setHeader(getTranslation("storage.gc.state")).setAutoWidth(true);
        runs.addColumn(r -> Formats.exact(r.startedAt(), getLocale())).setHeader(getTranslation("storage.gc.started")).setAutoWidth(true);
        runs.addColumn(r -> r.finishedAt() == null ? "" : Formats.exact(r.finishedAt(), getLocale()))
                .setHeader(getTranslation("storage.gc.finished")).setAutoWidth(true);
        runs.addColumn(r -> Long.toString(r.manifestsDeleted())).setHeader(getTranslation("storage.gc.manifests")).setAutoWidth(true);
        runs.addColumn(r -> Long.toString(r.linksDeleted())).setHeader(getTranslation("storage.gc.links")).setAutoWidth(true);
        runs.addColumn(r -> Long.toString(r.blobsDeleted())).setHeader(getTranslation("storage.gc.blobs")).setAutoWidth(true);
        runs.addColumn(r -> Formats.size(r.bytesFreed())).setHeader(getTranslation("storage.gc.bytes")).setAutoWidth(true);
        runs.addColumn(r -> r.message() == null ? "" : r.message()).setHeader(getTranslation("storage.gc.message")).setFlexGrow(1);
        runs.setAllRowsVisible(true);
        runs.addSelectionListener(e -> show(e.getFirstSelectedItem().orElse(null)));
        items.setId("gc-items");
        items.setReadOnly(true);
        items.setWidthFull();
        items.addClassName("berth-mono");
        items.setVisible(false);
        add(new H3(getTranslation("storage.gc.runs")), runs, items);
        refresh();
    }

    private void start(boolean dry) {
        if (Toasts.attempt(() -> show(collection.start(me, dry, deleteUntagged.getValue(), null)))) {
            refresh();
        }
    }

    private void show(@Nullable GcRun chosen) {
        if (chosen == null || !chosen.dryRun()) {
            items.setVisible(false);
            return;
        }
        GcRun current = collection.run(me, chosen.id());
        items.setLabel(getTranslation("storage.gc.items", current.id()));
        items.setValue(current.items().isEmpty() ? getTranslation("storage.gc.nothing") : String.join("\n", current.items()));
        items.setVisible(true);
    }

    private void refresh() {
        List<GcRun> recent = collection.runs(me);
        runs.setItems(recent);
        boolean running = recent.stream().anyMatch(r -> r.state() == GcRun.State.RUNNING);
        run.setEnabled(!running);
        dryRun.setEnabled(!running);
        next.setText(collection.nextScheduled(me).map(at -> getTranslation("storage.gc.next", Formats.exact(at, getLocale())))
                .orElse(getTranslation("storage.gc.unscheduled")));
    }



    @Override
    public String getPageTitle() {
        return getTranslation("nav.storage");
    }
}
