package berth.policy.ui;

import berth.base.ui.Confirmations;
import berth.base.ui.Formats;
import berth.base.ui.Toasts;
import berth.policy.retention.Retention;
import berth.policy.retention.RetentionPolicy;
import berth.policy.retention.RetentionPolicy.Retain;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.policy.retention.RetentionRun;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.shared.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The retention tab: the rules as editable rows, each with a live preview of what it alone would keep
 * and delete, the whole policy's preview, a dry run that lists what a real run would delete, "Run
 * now" and the run history. ADMINs edit and run; members see the same read-only.
 */
class RetentionPanel extends VerticalLayout {

    private final Retention retention;
    private final String me;
    private final String project;
    private final boolean admin;
    private final VerticalLayout rows = new VerticalLayout();
    private final List<RuleRow> ruleRows = new ArrayList<>();
    private final Select<String> untagged = new Select<>();
    private final TextField schedule = new TextField();
    private final Span preview = new Span();
    private final Grid<RetentionRun> runs = new Grid<>();
    private final Span listTitle = new Span();
    private final Grid<RetentionRun.Deletion> deletions = new Grid<>();
    private @Nullable Registration polling;
    private long shownRun = -1;
    private boolean wasRunning;
    /** Whether the list shown is of a run that was still going on when shown. */
    private boolean shownRunning;

    RetentionPanel(Retention retention, String me, String project, boolean admin) {
        this.retention = retention;
        this.me = me;
        this.project = project;
        this.admin = admin;
        setPadding(false);
        add(new Paragraph(getTranslation("retention.explained")));
        RetentionPolicy policy = retention.policy(me, project);
        rows.setId("retention-rules");
        rows.setPadding(false);
        rows.setSpacing(false);
        policy.rules().forEach(this::addRow);
        add(rows);
        Button addRule = new Button(getTranslation("retention.add-rule"), VaadinIcon.PLUS.create(),
                e -> addRow(new Rule("**", "*", "", Retain.mostRecentlyPushed, 10)));
        addRule.setId("retention-add-rule");
        addRule.setVisible(admin);
        untagged.setLabel(getTranslation("retention.untagged"));
        untagged.setId("retention-untagged");
        untagged.setItems("keep", "remove");
        untagged.setItemLabelGenerator(value -> getTranslation("retention.untagged." + value));
        untagged.setValue(policy.untagged());
        untagged.setReadOnly(!admin);
        if (!retention.removesUntagged()) {
            untagged.setHelperText(getTranslation("retention.untagged.external"));
        }
        schedule.setLabel(getTranslation("retention.schedule"));
        schedule.setId("retention-schedule");
        schedule.setPlaceholder("0 0 3 * * *");
        schedule.setHelperText(getTranslation("retention.schedule.help"));
        schedule.setValue(policy.schedule() == null ? "" : policy.schedule());
        schedule.setReadOnly(!admin);
        HorizontalLayout settings = new HorizontalLayout(addRule, untagged, schedule);
        settings.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(settings);
        preview.setId("retention-preview");
        add(preview);

        Button save = new Button(getTranslation("retention.save"), VaadinIcon.CHECK.create(), e -> save());
        save.setId("retention-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button dryRun = new Button(getTranslation("retention.dry-run"), VaadinIcon.SEARCH.create(), e -> start(true));
        dryRun.setId("retention-dry-run");
        Button runNow = new Button(getTranslation("retention.run"), VaadinIcon.TRASH.create(), e -> Confirmations.destructive(
                getTranslation("retention.run.confirm.title"), new Paragraph(getTranslation("retention.run.confirm", project)),
                getTranslation("retention.run"), () -> start(false)));
        runNow.setId("retention-run");
        runNow.addThemeVariants(ButtonVariant.LUMO_ERROR);
        HorizontalLayout actions = new HorizontalLayout(save, dryRun, runNow);
        actions.setVisible(admin);
        add(actions);
        if (!admin) {
            add(new Paragraph(getTranslation("retention.read-only")));
        }

        listTitle.setId("retention-deletions-title");
        deletions.setId("retention-deletions");
        deletions.addColumn(RetentionRun.Deletion::repository).setHeader(getTranslation("retention.repository")).setAutoWidth(true);
        deletions.addColumn(d -> d.tag() == null ? getTranslation("retention.untagged-manifest") : d.tag()).setHeader(getTranslation("retention.tag")).setAutoWidth(true);
        deletions.addColumn(d -> d.digest().substring(0, Math.min(19, d.digest().length()))).setHeader(getTranslation("retention.digest"))
                .setAutoWidth(true);
        deletions.addColumn(d -> Formats.size(d.size())).setHeader(getTranslation("retention.size")).setAutoWidth(true);
        deletions.setHeight("20em");
        deletions.setVisible(false);

        runs.setId("retention-runs");
        runs.addColumn(r -> Long.toString(r.id())).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        runs.addColumn(r -> getTranslation("retention.state." + r.state().name().toLowerCase(Locale.ROOT))
                + (r.dryRun() ? " (" + getTranslation("retention.dry") + ")" : "")).setHeader(getTranslation("retention.state"))
                .setAutoWidth(true);
        runs.addColumn(r -> Formats.exact(r.startedAt(), getLocale())).setHeader(getTranslation("retention.started")).setAutoWidth(true);
        runs.addColumn(RetentionRun::startedBy).setHeader(getTranslation("retention.started-by")).setAutoWidth(true);
        runs.addColumn(r -> Integer.toString(r.tagsDeleted())).setHeader(getTranslation("retention.deleted")).setAutoWidth(true);
        runs.addColumn(r -> Formats.size(r.bytesFreeable())).setHeader(getTranslation("retention.freeable")).setAutoWidth(true);
        runs.addColumn(r -> r.errors().isEmpty() ? (r.message() == null ? "" : r.message()) : String.join("; ", r.errors()))
                .setHeader(getTranslation("retention.message")).setFlexGrow(1);
        runs.setAllRowsVisible(true);
        runs.addSelectionListener(e -> e.getFirstSelectedItem().ifPresent(r -> showList(r.id())));
        add(new H3(getTranslation("retention.list")), listTitle, deletions, new H3(getTranslation("retention.runs")), runs);
        refreshPreview();
        refreshRuns();
    }

    private void addRow(Rule rule) {
        RuleRow row = new RuleRow(rule);
        ruleRows.add(row);
        rows.add(row);
        refreshPreview();
    }

    private List<Rule> rules() {
        return ruleRows.stream().map(RuleRow::rule).toList();
    }

    /** What the rules on screen (saved or not) would do now. */
    private void refreshPreview() {
        if (ruleRows.isEmpty()) {
            preview.setText(getTranslation("retention.preview.none"));
            return;
        }
        try {
            Retention.Preview effect = retention.preview(me, project, rules());
            preview.setText(getTranslation("retention.preview", effect.kept(), effect.deleted(), effect.repositories()));
            preview.getElement().getThemeList().remove("error");
            for (int i = 0; i < ruleRows.size(); i++) {
                Retention.RuleEffect one = effect.rules().get(i);
                ruleRows.get(i).effect.setText(getTranslation("retention.rule.preview", one.kept(), one.deleted(), one.repositories()));
            }
        } catch (RuntimeException e) {
            preview.setText(e.getMessage());
            preview.getElement().getThemeList().add("error");
        }
    }

    private void save() {
        if (Toasts.attempt(() -> retention.setPolicy(me, project, rules(), untagged.getValue(), schedule.getValue()))) {
            Toasts.success(getTranslation("retention.saved"));
        }
    }

    private void start(boolean dryRun) {
        // A run works on the saved policy: what is on screen is saved first (when it differs), so "Dry run" shows what these rows do.
        RetentionPolicy saved = retention.policy(me, project);
        String cron = schedule.getValue().isBlank() ? null : schedule.getValue().trim();
        boolean unchanged = saved.rules().equals(rules()) && saved.untagged().equals(untagged.getValue())
                && java.util.Objects.equals(saved.schedule(), cron);
        if (!unchanged && !Toasts.attempt(() -> retention.setPolicy(me, project, rules(), untagged.getValue(), cron))) {
            return;
        }
        RetentionRun[] started = new RetentionRun[1];
        if (Toasts.attempt(() -> started[0] = retention.start(me, project, dryRun))) {
            shownRun = started[0].id();
            showList(shownRun);
            refreshRuns();
        }
    }

    private void showList(long id) {
        shownRun = id;
        RetentionRun run = retention.run(me, project, id);
        deletions.setItems(run.deletions());
        deletions.setVisible(true);
        shownRunning = run.state() == RetentionRun.State.RUNNING;
        String key = shownRunning ? "retention.list.running"
                : run.dryRun() ? "retention.list.dry" : "retention.list.real";
        listTitle.setText(getTranslation(key, run.id(), run.tagsDeleted(), Formats.size(run.bytesFreeable()))
                + (run.manifestsDeleted() == 0 ? "" : " " + getTranslation("retention.list.manifests", run.manifestsDeleted())));
    }

    private void refreshRuns() {
        List<RetentionRun> recent = retention.runs(me, project);
        runs.setItems(recent);
        if (shownRun >= 0) {
            showList(shownRun);
        }
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        attachEvent.getUI().setPollInterval(1500);
        polling = attachEvent.getUI().addPollListener(e -> {
            // Refreshed while a run goes on, and once more when it has ended, so its final figures show.
            boolean running = retention.runs(me, project).stream().anyMatch(r -> r.state() == RetentionRun.State.RUNNING);
            if (running || wasRunning || shownRunning) {
                refreshRuns();
            }
            wasRunning = running;
        });
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        detachEvent.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
            polling = null;
        }
        super.onDetach(detachEvent);
    }

    /** One rule as a row of fields, and what it alone would do. */
    private final class RuleRow extends HorizontalLayout {

        private final TextField repositories = new TextField();
        private final TextField include = new TextField();
        private final TextField exclude = new TextField();
        private final Select<Retain> retain = new Select<>();
        private final IntegerField value = new IntegerField();
        private final Span effect = new Span();

        RuleRow(Rule rule) {
            addClassName("retention-rule");
            setAlignItems(FlexComponent.Alignment.BASELINE);
            setWidthFull();
            field(repositories, "retention.rule.repositories", "rule-repositories", rule.repositories());
            field(include, "retention.rule.include", "rule-include", rule.tagsInclude());
            field(exclude, "retention.rule.exclude", "rule-exclude", rule.tagsExclude());
            retain.setLabel(getTranslation("retention.rule.retain"));
            retain.addClassName("rule-retain");
            retain.setItems(Retain.values());
            retain.setItemLabelGenerator(kind -> getTranslation("retention.retain." + kind.name()));
            retain.setValue(rule.retain());
            retain.setReadOnly(!admin);
            retain.addValueChangeListener(e -> {
                value.setEnabled(e.getValue() != Retain.always);
                refreshPreview();
            });
            value.setLabel(getTranslation("retention.rule.value"));
            value.addClassName("rule-value");
            value.setMin(1);
            value.setWidth("7em");
            value.setValue(rule.retain() == Retain.always ? null : rule.value());
            value.setEnabled(rule.retain() != Retain.always);
            value.setReadOnly(!admin);
            value.setValueChangeMode(ValueChangeMode.LAZY);
            value.addValueChangeListener(e -> refreshPreview());
            effect.addClassName("rule-preview");
            Button remove = new Button(VaadinIcon.CLOSE_SMALL.create(), e -> {
                ruleRows.remove(this);
                rows.remove(this);
                refreshPreview();
            });
            remove.addClassName("rule-remove");
            remove.setAriaLabel(getTranslation("retention.rule.remove"));
            remove.setVisible(admin);
            add(repositories, include, exclude, retain, value, remove, effect);
        }

        private void field(TextField field, String label, String className, String text) {
            field.setLabel(getTranslation(label));
            field.addClassName(className);
            field.setValue(text);
            field.setReadOnly(!admin);
            field.setValueChangeMode(ValueChangeMode.LAZY);
            field.addValueChangeListener(e -> refreshPreview());
        }

        Rule rule() {
            Retain kind = retain.getValue() == null ? Retain.mostRecentlyPushed : retain.getValue();
            return new Rule(repositories.getValue(), include.getValue(), exclude.getValue(), kind,
                    value.getValue() == null ? 0 : value.getValue());
        }
    }
}
