package berth.catalog.ui;

import berth.base.BerthSettings;
import berth.base.ui.CopyableText;
import berth.base.ui.Polling;
import berth.catalog.remote.DistributionConfig;
import berth.catalog.sync.CatalogSync;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * The catalog's state for system administrators: run a full sync and watch it (the page polls
 * while one runs), and - in external mode - the config fragment that makes a CNCF Distribution
 * Berth's registry.
 */
@Route("catalog/sync")
@Menu(order = 8, title = "nav.catalog-sync", icon = "REFRESH")
@RolesAllowed("SYSTEM_ADMIN")
// Someone signed in but not allowed sees the console's 403 page, not a pretended 404.
@AccessDeniedErrorRouter
public class CatalogSyncView extends VerticalLayout implements HasDynamicTitle {

    private final CatalogSync sync;
    private final ProgressBar bar = new ProgressBar();
    private final String me;
    private final Span state = new Span();
    private final Span figures = new Span();
    private final Button start = new Button();

    CatalogSyncView(CatalogSync sync, DistributionConfig config, BerthSettings settings, AuthenticationContext authentication) {
        this.sync = sync;
        this.me = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("60em");
        addClassName("berth-page");
        add(new H2(getTranslation("nav.catalog-sync")), new Paragraph(getTranslation("catalog.sync.explained")));
        start.setText(getTranslation("catalog.sync.start"));
        start.setIcon(VaadinIcon.REFRESH.create());
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.setId("catalog-sync-start");
        start.addClickListener(e -> {
            sync.start(me);
            refresh();
        });
        bar.setId("catalog-sync-progress");
        state.setId("catalog-sync-state");
        figures.setId("catalog-sync-figures");
        add(start, state, bar, figures);
        Polling.whileAttached(this, 1000, this::refresh);
        if (settings.registry().mode() == BerthSettings.RegistryMode.EXTERNAL) {
            TextArea fragment = new TextArea(getTranslation("catalog.distribution.fragment"));
            fragment.setValue(config.fragmentFor(me));
            fragment.setReadOnly(true);
            fragment.setWidthFull();
            fragment.addClassName("berth-mono");
            fragment.setId("distribution-config");
            String base = settings.publicUrl().toString().replaceAll("/+$", "");
            CopyableText download = new CopyableText(base + "/api/v1/registry/distribution-config");
            download.setId("distribution-config-url");
            add(new H3(getTranslation("catalog.distribution.heading")), new Paragraph(getTranslation("catalog.distribution.explained")),
                    fragment, new Span(getTranslation("catalog.distribution.download")), download);
        }
        refresh();
    }

    private void refresh() {
        CatalogSync.SyncStatus status = sync.status(me);
        state.setText(getTranslation("catalog.sync.state." + status.state().name().toLowerCase(Locale.ROOT)));
        bar.setValue(status.fraction());
        bar.setIndeterminate(status.running() && status.repositoriesTotal() == 0);
        start.setEnabled(!status.running());
        if (status.startedAt() == null) {
            figures.setText("");
        } else {
            DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(getLocale())
                    .withZone(ZoneId.systemDefault());
            figures.setText(getTranslation("catalog.sync.figures", format.format(status.startedAt()), status.repositoriesDone(),
                    status.repositoriesTotal(), status.tags(), status.manifestsFetched(), String.format(getLocale(), "%.1f", status.seconds()),
                    String.format(getLocale(), "%.0f", status.requestsPerSecond()), status.failedRepositories()));
        }
    }



    @Override
    public String getPageTitle() {
        return getTranslation("nav.catalog-sync");
    }
}
