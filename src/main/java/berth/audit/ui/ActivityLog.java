package berth.audit.ui;

import berth.audit.AuditAction;
import berth.audit.AuditEntry;
import berth.audit.AuditQuery;
import berth.base.ui.Formats;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.streams.DownloadHandler;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;

/**
 * The audit log as the two "Activity" pages show it: filters (who, action, repository, from, to)
 * that apply as they change, one page of records at a time, and "Download CSV" of everything the
 * filters match. Who may read what is decided by {@link AuditQuery}.
 */
class ActivityLog extends VerticalLayout {

    static final int PAGE_SIZE = 50;

    private final AuditQuery audit;
    private final String me;
    /** The project whose log this is; null for the whole log. */
    private final @Nullable String project;
    private final TextField actor = new TextField();
    private final Select<AuditAction> action = new Select<>();
    private final TextField repository = new TextField();
    private final DateTimePicker from = new DateTimePicker();
    private final DateTimePicker to = new DateTimePicker();
    private final Grid<AuditEntry> records = new Grid<>();
    private final Span position = new Span();
    private final Button previous = new Button();
    private final Button next = new Button();
    private int page;

    ActivityLog(AuditQuery audit, String me, @Nullable String project) {
        this.audit = audit;
        this.me = me;
        this.project = project;
        setPadding(false);

        actor.setLabel(getTranslation("activity.actor"));
        actor.setId("activity-actor");
        actor.setClearButtonVisible(true);
        actor.setValueChangeMode(ValueChangeMode.ON_CHANGE);
        action.setLabel(getTranslation("activity.action"));
        action.setId("activity-action");
        action.setItems(AuditAction.values());
        action.setEmptySelectionAllowed(true);
        action.setEmptySelectionCaption(getTranslation("activity.action.any"));
        action.setItemLabelGenerator(a -> a == null ? getTranslation("activity.action.any") : actionLabel(a));
        repository.setLabel(getTranslation("activity.repository"));
        repository.setId("activity-repository");
        repository.setClearButtonVisible(true);
        repository.setHelperText(project == null ? getTranslation("activity.repository.help-all")
                : getTranslation("activity.repository.help", project));
        from.setLabel(getTranslation("activity.from"));
        from.setId("activity-from");
        to.setLabel(getTranslation("activity.to"));
        to.setId("activity-to");
        actor.addValueChangeListener(e -> filtered());
        action.addValueChangeListener(e -> filtered());
        repository.addValueChangeListener(e -> filtered());
        from.addValueChangeListener(e -> filtered());
        to.addValueChangeListener(e -> filtered());
        HorizontalLayout filters = new HorizontalLayout(actor, action, repository, from, to);
        filters.setWrap(true);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);

        records.setId("activity-records");
        records.addColumn(e -> Formats.exact(e.at(), getLocale())).setHeader(getTranslation("activity.at")).setAutoWidth(true).setFlexGrow(0);
        records.addColumn(AuditEntry::actor).setHeader(getTranslation("activity.actor")).setAutoWidth(true);
        records.addColumn(e -> actionLabel(e.action())).setHeader(getTranslation("activity.action")).setAutoWidth(true);
        records.addColumn(ActivityLog::what).setHeader(getTranslation("activity.what")).setFlexGrow(1);
        records.addColumn(e -> getTranslation("activity.outcome." + e.outcome().toLowerCase(Locale.ROOT)))
                .setHeader(getTranslation("activity.outcome")).setAutoWidth(true);
        records.addColumn(e -> e.address() == null ? "" : e.address()).setHeader(getTranslation("activity.address")).setAutoWidth(true);
        records.addColumn(e -> getTranslation("activity.via." + e.via())).setHeader(getTranslation("activity.via")).setAutoWidth(true);
        if (project == null) {
            records.addColumn(e -> e.project() == null ? "" : e.project()).setHeader(getTranslation("activity.project")).setAutoWidth(true);
        }
        records.setAllRowsVisible(true);
        records.setEmptyStateText(getTranslation("activity.empty"));

        previous.setText(getTranslation("activity.previous"));
        previous.setIcon(VaadinIcon.ANGLE_LEFT.create());
        previous.setId("activity-previous");
        previous.addClickListener(e -> show(page - 1));
        next.setText(getTranslation("activity.next"));
        next.setIcon(VaadinIcon.ANGLE_RIGHT.create());
        next.setIconAfterText(true);
        next.setId("activity-next");
        next.addClickListener(e -> show(page + 1));
        position.setId("activity-page");
        // The file is made when it is asked for, from the filters as they are then.
        Anchor csv = new Anchor(download(), "");
        csv.setId("activity-csv");
        csv.getElement().setAttribute("download", true);
        Button csvButton = new Button(getTranslation("activity.csv"), VaadinIcon.DOWNLOAD.create());
        csvButton.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        csv.add(csvButton);
        HorizontalLayout paging = new HorizontalLayout(previous, position, next, csv);
        paging.setAlignItems(FlexComponent.Alignment.CENTER);
        add(filters, records, paging);
    }

    /** Shows the first page, or tells why this person may not read this log (the page's 403). */
    void open() {
        show(0);
    }

    private void filtered() {
        show(0);
    }

    private void show(int number) {
        Page<AuditEntry> shown = project == null
                ? audit.all(me, filter(), Math.max(0, number), PAGE_SIZE)
                : audit.ofProject(me, project, filter(), Math.max(0, number), PAGE_SIZE);
        page = shown.getNumber();
        records.setItems(shown.getContent());
        position.setText(getTranslation("activity.position", page + 1, Math.max(1, shown.getTotalPages()), shown.getTotalElements()));
        previous.setEnabled(shown.hasPrevious());
        next.setEnabled(shown.hasNext());
    }

    private AuditQuery.Filter filter() {
        return new AuditQuery.Filter(blankToNull(actor.getValue()), action.getValue(), repositoryName(), instant(from.getValue()),
                instant(to.getValue()));
    }

    /** In a project's log, {@code app} means {@code project/app}. */
    private @Nullable String repositoryName() {
        String name = blankToNull(repository.getValue());
        if (name == null || project == null || name.startsWith(project + "/")) {
            return name;
        }
        return project + "/" + name;
    }

    private DownloadHandler download() {
        return event -> {
            AuditQuery.CsvExport export = audit.csv(me, project, filter());
            event.setFileName(export.fileName());
            event.setContentType("text/csv; charset=utf-8");
            try (Writer out = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8)) {
                export.writeTo(out);
            }
        };
    }

    private String actionLabel(AuditAction a) {
        return getTranslation("activity.action." + a.name().toLowerCase(Locale.ROOT));
    }

    /** Repository, tag and digest, the detail of an access change, and how many for counted records. */
    private static String what(AuditEntry e) {
        StringBuilder text = new StringBuilder();
        if (e.repository() != null) {
            text.append(e.repository());
            if (e.tag() != null) {
                text.append(':').append(e.tag());
            }
            if (e.digest() != null) {
                text.append('@').append(e.digest(), 0, Math.min(e.digest().length(), 19));
            }
        }
        if (e.detail() != null) {
            text.append(text.isEmpty() ? "" : " · ").append(e.detail());
        }
        if (e.occurrences() > 1) {
            text.append(" ×").append(e.occurrences());
        }
        return text.toString();
    }

    private static @Nullable Instant instant(@Nullable LocalDateTime local) {
        return local == null ? null : local.atZone(Formats.zone()).toInstant();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
