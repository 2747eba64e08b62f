package berth.policy.ui;

import berth.base.BerthSettings.RegistryMode;
import berth.base.ui.Toasts;
import berth.policy.ImmutableTagRules;
import berth.policy.ImmutableTagRules.Rule;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;

/**
 * The Policies page's tab of immutable-tag rules: the rules as rows; ADMINs add a rule (repositories
 * and tags globs) and remove one, MEMBERs read them. In external mode it says what Berth cannot check.
 */
class ImmutableTagRulesPanel extends VerticalLayout {

    private final ImmutableTagRules rules;
    private final String me;
    private final String project;
    private final Grid<Rule> grid = new Grid<>();

    ImmutableTagRulesPanel(ImmutableTagRules rules, String me, String project, boolean admin, RegistryMode mode) {
        this.rules = rules;
        this.me = me;
        this.project = project;
        setPadding(false);
        Paragraph intro = new Paragraph(getTranslation("policies.immutable.intro"));
        intro.setId("immutable-intro");
        add(intro);
        if (mode == RegistryMode.EXTERNAL) {
            Paragraph external = new Paragraph(getTranslation("policies.immutable.external"));
            external.setId("immutable-external-notice");
            external.getElement().getThemeList().add("badge warning");
            add(external);
        }

        grid.setId("immutable-rules");
        grid.addColumn(Rule::repositories).setHeader(getTranslation("policies.immutable.repositories")).setKey("repositories")
                .setPartNameGenerator(r -> "berth-mono").setFlexGrow(1);
        grid.addColumn(Rule::tags).setHeader(getTranslation("policies.immutable.tags")).setKey("tags")
                .setPartNameGenerator(r -> "berth-mono").setFlexGrow(1);
        if (admin) {
            grid.addComponentColumn(this::removeButton).setAutoWidth(true).setFlexGrow(0);
        }
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("policies.immutable.empty"));
        add(grid);
        if (admin) {
            add(addForm());
        } else {
            Paragraph readOnly = new Paragraph(getTranslation("policies.immutable.read-only"));
            readOnly.setId("immutable-read-only");
            readOnly.addClassName("berth-muted");
            add(readOnly);
        }
        refresh();
    }

    private void refresh() {
        if (!Toasts.attempt(() -> grid.setItems(rules.list(me, project)))) {
            grid.setItems();
        }
    }

    private Component addForm() {
        TextField repositories = new TextField(getTranslation("policies.immutable.repositories"));
        repositories.setId("immutable-repositories");
        repositories.setValue("**");
        repositories.setHelperText(getTranslation("policies.immutable.repositories.help"));
        TextField tags = new TextField(getTranslation("policies.immutable.tags"));
        tags.setId("immutable-tags");
        tags.setPlaceholder("v*");
        tags.setHelperText(getTranslation("policies.immutable.tags.help"));
        Button add = new Button(getTranslation("policies.immutable.add"), VaadinIcon.LOCK.create(), e -> {
            if (Toasts.attempt(() -> rules.add(me, project, new ImmutableTagRules.RuleSpec(repositories.getValue(), tags.getValue())))) {
                Toasts.success(getTranslation("policies.immutable.added", repositories.getValue().strip(), tags.getValue().strip()));
                tags.clear();
                refresh();
            }
        });
        add.setId("immutable-add");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.addClickShortcut(Key.ENTER);
        HorizontalLayout form = new HorizontalLayout(repositories, tags, add);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private Button removeButton(Rule rule) {
        Button remove = new Button(VaadinIcon.TRASH.create(), e -> {
            if (Toasts.attempt(() -> rules.remove(me, project, rule.id()))) {
                Toasts.success(getTranslation("policies.immutable.removed", rule.repositories(), rule.tags()));
                refresh();
            }
        });
        remove.setId("immutable-remove-" + rule.id());
        remove.setAriaLabel(getTranslation("policies.immutable.remove", rule.repositories(), rule.tags()));
        remove.setTooltipText(getTranslation("policies.immutable.remove", rule.repositories(), rule.tags()));
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        return remove;
    }
}
