package berth.webhooks.ui;

import berth.base.InvalidRequestException;
import berth.base.ui.Confirmations;
import berth.base.ui.Formats;
import berth.base.ui.Polling;
import berth.base.ui.ProjectView;
import berth.base.ui.Toasts;
import berth.webhooks.WebhookDeliveryView;
import berth.webhooks.WebhookEvent;
import berth.webhooks.Webhooks;
import berth.webhooks.Webhooks.EndpointView;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * "Webhooks" of a project, for its ADMINs: the endpoints (add, change, switch on and off, delete,
 * send a test event) and the last 50 deliveries of the one selected, with a retry button. The
 * secret can be set, never read back. Anyone else gets the console's 403 page with the refusal of
 * {@link Webhooks}, which decides who may do what.
 */
@Route("projects/:project/webhooks")
@PermitAll
class WebhooksView extends ProjectView {

    static final int DELIVERIES = 50;
    /** What an endpoint can subscribe to: every event but the test event. */
    private static final List<WebhookEvent> SUBSCRIBABLE = Arrays.stream(WebhookEvent.values()).filter(e -> e != WebhookEvent.TEST).toList();

    private final Webhooks webhooks;
    private final Grid<EndpointView> endpoints = new Grid<>();
    private final Grid<WebhookDeliveryView> deliveries = new Grid<>();
    private final H3 deliveriesHeading = new H3();
    private @Nullable EndpointView selected;

    WebhooksView(Webhooks webhooks, AuthenticationContext authentication) {
        super(authentication, "90em");
        this.webhooks = webhooks;

        endpoints.setId("webhook-endpoints");
        endpoints.addColumn(EndpointView::url).setHeader(getTranslation("webhooks.url")).setWidth("18em").setFlexGrow(1);
        endpoints.addColumn(e -> e.events().stream().map(this::eventLabel).collect(Collectors.joining(", ")))
                .setHeader(getTranslation("webhooks.events")).setAutoWidth(true);
        endpoints.addColumn(EndpointView::repositories).setHeader(getTranslation("webhooks.repositories")).setAutoWidth(true);
        endpoints.addComponentColumn(this::state).setHeader(getTranslation("webhooks.state")).setAutoWidth(true);
        endpoints.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
        endpoints.setAllRowsVisible(true);
        endpoints.setEmptyStateText(getTranslation("webhooks.empty"));
        endpoints.addSelectionListener(e -> {
            selected = e.getFirstSelectedItem().orElse(null);
            showDeliveries();
        });

        deliveriesHeading.setId("webhook-deliveries-heading");
        deliveries.setId("webhook-deliveries");
        deliveries.addColumn(d -> Formats.exact(d.at(), getLocale())).setHeader(getTranslation("webhooks.delivery.at")).setAutoWidth(true);
        deliveries.addColumn(d -> eventLabel(d.event())).setHeader(getTranslation("webhooks.delivery.event")).setAutoWidth(true);
        deliveries.addColumn(d -> getTranslation("webhooks.delivery.status." + d.status().name().toLowerCase(Locale.ROOT)))
                .setHeader(getTranslation("webhooks.delivery.status")).setAutoWidth(true);
        deliveries.addColumn(d -> d.responseCode() == null ? "" : Integer.toString(d.responseCode()))
                .setHeader(getTranslation("webhooks.delivery.code")).setAutoWidth(true);
        deliveries.addColumn(d -> Integer.toString(d.attempts())).setHeader(getTranslation("webhooks.delivery.attempts")).setAutoWidth(true);
        deliveries.addColumn(d -> d.durationMs() == null ? "" : d.durationMs() + " ms").setHeader(getTranslation("webhooks.delivery.duration")).setAutoWidth(true);
        deliveries.addColumn(d -> d.error() == null ? "" : d.error()).setHeader(getTranslation("webhooks.delivery.error")).setFlexGrow(1);
        deliveries.addComponentColumn(this::retryButton).setAutoWidth(true).setFlexGrow(0);
        deliveries.setAllRowsVisible(true);
        deliveries.setEmptyStateText(getTranslation("webhooks.deliveries.empty"));
        // Deliveries move on their own (sent, retried): the page follows them.
        Polling.whileAttached(this, 2000, this::showDeliveries);
    }

    @Override
    protected void show(BeforeEnterEvent event) {
        selected = null;
        // Refused here (ForbiddenException) the router shows its 403 page instead of this one.
        List<EndpointView> list = webhooks.list(me, project);
        Button add = new Button(getTranslation("webhooks.add"), VaadinIcon.PLUS.create(), e -> openForm(null));
        add.setId("webhook-add");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2(getPageTitle()), new Paragraph(getTranslation("webhooks.intro")), add, endpoints, deliveriesHeading, deliveries);
        endpoints.setItems(list);
        showDeliveries();
    }

    /** Reads the endpoints again; the one selected stays selected (setting the items clears the grid's selection). */
    private void refresh() {
        Long keep = selected == null ? null : selected.id();
        List<EndpointView> list = webhooks.list(me, project);
        endpoints.setItems(list);
        EndpointView again = keep == null ? null : list.stream().filter(e -> e.id() == keep).findFirst().orElse(null);
        if (again != null) {
            endpoints.select(again);
        }
        selected = again;
        showDeliveries();
    }

    private void showDeliveries() {
        EndpointView endpoint = selected;
        deliveriesHeading.setVisible(endpoint != null);
        deliveries.setVisible(endpoint != null);
        if (endpoint == null) {
            return;
        }
        deliveriesHeading.setText(getTranslation("webhooks.deliveries", endpoint.url()));
        deliveries.setItems(webhooks.deliveries(me, project, endpoint.id(), 0, DELIVERIES).getContent());
    }

    private Span state(EndpointView endpoint) {
        Span state = new Span(endpoint.enabled() ? getTranslation("webhooks.enabled")
                : endpoint.disabledReason() != null ? getTranslation("webhooks.disabled-automatically", endpoint.disabledReason())
                : getTranslation("webhooks.disabled"));
        state.setId("webhook-state-" + endpoint.id());
        state.getElement().getThemeList().add(endpoint.enabled() ? "badge success" : "badge error");
        return state;
    }

    private HorizontalLayout actions(EndpointView endpoint) {
        Checkbox enabled = new Checkbox(getTranslation("webhooks.enabled"), endpoint.enabled());
        enabled.setId("webhook-enabled-" + endpoint.id());
        enabled.addValueChangeListener(e -> {
            if (e.isFromClient() && Toasts.attempt(() -> webhooks.update(me, project, endpoint.id(), new Webhooks.EndpointSpec(
                    endpoint.url(), endpoint.events().stream().map(Enum::name).toList(), endpoint.repositories(), null, e.getValue())))) {
                Toasts.success(getTranslation(e.getValue() ? "webhooks.switched-on" : "webhooks.switched-off", endpoint.url()));
            }
            refresh();
        });
        Button test = new Button(getTranslation("webhooks.test"), VaadinIcon.PAPERPLANE.create(), e -> {
            if (Toasts.attempt(() -> webhooks.test(me, project, endpoint.id()))) {
                Toasts.success(getTranslation("webhooks.test.queued"));
                selected = endpoint;
                refresh();
            }
        });
        test.setId("webhook-test-" + endpoint.id());
        test.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button edit = new Button(getTranslation("webhooks.edit"), VaadinIcon.EDIT.create(), e -> openForm(endpoint));
        edit.setId("webhook-edit-" + endpoint.id());
        edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button delete = new Button(VaadinIcon.TRASH.create(), e -> Confirmations.destructive(getTranslation("webhooks.delete"),
                new Paragraph(getTranslation("webhooks.delete.confirm", endpoint.url())), getTranslation("webhooks.delete"), () -> {
                    if (Toasts.attempt(() -> webhooks.delete(me, project, endpoint.id()))) {
                        Toasts.success(getTranslation("webhooks.deleted", endpoint.url()));
                    }
                    if (selected != null && selected.id() == endpoint.id()) {
                        selected = null;
                    }
                    refresh();
                }));
        delete.setId("webhook-delete-" + endpoint.id());
        delete.setAriaLabel(getTranslation("webhooks.delete"));
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(enabled, test, edit, delete);
    }

    private Button retryButton(WebhookDeliveryView delivery) {
        Button retry = new Button(getTranslation("webhooks.delivery.retry"), VaadinIcon.REFRESH.create(), e -> {
            EndpointView endpoint = selected;
            if (endpoint != null && Toasts.attempt(() -> webhooks.retry(me, project, endpoint.id(), delivery.id()))) {
                Toasts.success(getTranslation("webhooks.delivery.retried"));
            }
            refresh();
        });
        retry.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        return retry;
    }

    /** The add or change form; a refusal (a private address, a bad glob) is shown in it as the sentence Berth gives. */
    private void openForm(@Nullable EndpointView endpoint) {
        Dialog dialog = new Dialog(getTranslation(endpoint == null ? "webhooks.add" : "webhooks.edit"));
        dialog.setId("webhook-form");
        dialog.setWidth("40em");
        TextField url = new TextField(getTranslation("webhooks.url"));
        url.setId("webhook-url");
        url.setPlaceholder("https://ci.example.com/berth-hook");
        url.setWidthFull();
        CheckboxGroup<WebhookEvent> events = new CheckboxGroup<>(getTranslation("webhooks.events"));
        events.setId("webhook-events");
        events.setItems(SUBSCRIBABLE);
        events.setItemLabelGenerator(this::eventLabel);
        TextField repositories = new TextField(getTranslation("webhooks.repositories"));
        repositories.setId("webhook-repositories");
        repositories.setHelperText(getTranslation("webhooks.repositories.help"));
        repositories.setWidthFull();
        PasswordField secret = new PasswordField(getTranslation("webhooks.secret"));
        secret.setId("webhook-secret");
        secret.setWidthFull();
        secret.setRevealButtonVisible(false);
        secret.setHelperText(getTranslation(endpoint == null ? "webhooks.secret.help" : "webhooks.secret.keep"));
        Checkbox enabled = new Checkbox(getTranslation("webhooks.enabled"));
        enabled.setId("webhook-form-enabled");
        if (endpoint == null) {
            events.setValue(EnumSet.of(WebhookEvent.PUSH_ARTIFACT));
            repositories.setValue("**");
            enabled.setValue(true);
        } else {
            url.setValue(endpoint.url());
            events.setValue(endpoint.events());
            repositories.setValue(endpoint.repositories());
            enabled.setValue(endpoint.enabled());
        }
        Paragraph problem = new Paragraph();
        problem.setId("webhook-problem");
        problem.addClassName("berth-error-text");
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        problem.setVisible(false);
        VerticalLayout form = new VerticalLayout(url, events, repositories, secret, enabled, problem);
        form.setPadding(false);
        dialog.add(form);
        Button save = new Button(getTranslation("webhooks.save"), e -> {
            Webhooks.EndpointSpec spec = new Webhooks.EndpointSpec(url.getValue(), events.getValue().stream().map(Enum::name).toList(),
                    repositories.getValue(), secret.getValue().isEmpty() ? null : secret.getValue(), enabled.getValue());
            try {
                if (endpoint == null) {
                    webhooks.create(me, project, spec);
                } else {
                    webhooks.update(me, project, endpoint.id(), spec);
                }
            } catch (InvalidRequestException refused) {
                problem.setText(refused.getMessage());
                problem.setVisible(true);
                return;
            }
            dialog.close();
            Toasts.success(getTranslation("webhooks.saved", url.getValue().strip()));
            refresh();
        });
        save.setId("webhook-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button(getTranslation("common.cancel"), e -> dialog.close()), save);
        dialog.open();
    }

    private String eventLabel(WebhookEvent event) {
        return getTranslation("webhooks.event." + event.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("webhooks.title", project);
    }
}
