package berth.registry.ui;

import berth.base.ui.DomainErrors;
import berth.base.ui.Formats;
import berth.base.ui.ProjectView;
import berth.base.ui.Toasts;
import berth.registry.usage.Quotas;
import berth.registry.usage.StorageUsage;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import org.jspecify.annotations.Nullable;

/**
 * A project's storage for its members: bytes used against the quota as a bar, and per repository.
 * System administrators set the quota here. Who may see what is decided by {@link Quotas}.
 */
@Route("projects/:project/storage")
@PermitAll
class ProjectStorageView extends ProjectView {

    private static final double MIB = 1024 * 1024;

    private final Quotas quotas;
    private final boolean systemAdmin;

    ProjectStorageView(Quotas quotas, AuthenticationContext authentication) {
        super(authentication, "60em");
        this.quotas = quotas;
        this.systemAdmin = authentication.hasRole("SYSTEM_ADMIN");
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        showUsage();
    }

    private void showUsage() {
        removeAll();
        add(new H2(getTranslation("project.storage.title", project)));
        Quotas.Usage usage;
        try {
            usage = quotas.usage(me, project);
        } catch (RuntimeException e) {
            add(new Paragraph(DomainErrors.text(e)));
            return;
        }
        Span used = new Span(usage.quotaBytes() == null
                ? getTranslation("project.storage.used-unlimited", Formats.size(usage.usedBytes()))
                : getTranslation("project.storage.used", Formats.size(usage.usedBytes()), Formats.size(usage.quotaBytes())));
        used.setId("storage-used");
        add(used);
        if (usage.quotaBytes() != null && usage.quotaBytes() > 0) {
            ProgressBar bar = new ProgressBar(0, 1, Math.min(1, (double) usage.usedBytes() / usage.quotaBytes()));
            bar.setId("storage-bar");
            add(bar);
        }
        add(new Paragraph(getTranslation("project.storage.explained")));
        if (usage.countedFrom() == Quotas.Source.CATALOG) {
            Paragraph counted = new Paragraph(getTranslation("storage.counted-from-catalog"));
            counted.setId("storage-counted-from-catalog");
            add(counted);
        }
        Grid<StorageUsage.RepositoryUsage> repositories = new Grid<>();
        repositories.setId("storage-repositories");
        repositories.addColumn(StorageUsage.RepositoryUsage::repository).setHeader(getTranslation("project.storage.repository")).setFlexGrow(1);
        repositories.addColumn(r -> Formats.size(r.usedBytes())).setHeader(getTranslation("project.storage.size")).setAutoWidth(true);
        repositories.setItems(usage.repositories());
        repositories.setAllRowsVisible(true);
        add(repositories);
        if (systemAdmin) {
            add(quotaForm(usage.quotaBytes()));
        }
    }

    private HorizontalLayout quotaForm(@Nullable Long quotaBytes) {
        NumberField mib = new NumberField(getTranslation("project.storage.quota-mib"));
        mib.setId("storage-quota");
        mib.setMin(0);
        mib.setPlaceholder(getTranslation("project.storage.unlimited"));
        mib.setClearButtonVisible(true);
        if (quotaBytes != null) {
            mib.setValue(quotaBytes / MIB);
        }
        Button save = new Button(getTranslation("project.storage.quota-save"), e -> {
            Long bytes = mib.getValue() == null ? null : Math.round(mib.getValue() * MIB);
            if (Toasts.attempt(() -> quotas.setQuota(me, project, bytes))) {
                Toasts.success(getTranslation("project.storage.quota-saved"));
                showUsage();
            }
        });
        save.setId("storage-quota-save");
        HorizontalLayout form = new HorizontalLayout(mib, save);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        return form;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("project.storage.title", project);
    }
}
