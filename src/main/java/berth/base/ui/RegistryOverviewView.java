package berth.base.ui;

import berth.base.BerthSettings;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.info.BuildProperties;

/** Where the registry is, what runs it, and whether it is well. */
@Route("registry")
@Menu(order = 0, title = "nav.registry", icon = "SERVER")
@PermitAll
class RegistryOverviewView extends VerticalLayout implements HasDynamicTitle {

    RegistryOverviewView(BerthSettings settings, ObjectProvider<BuildProperties> build, HealthContributorRegistry health) {
        setMaxWidth("60em");
        addClassName("berth-page");
        add(new H2(getTranslation("registry.heading")));
        Div facts = new Div();
        facts.addClassName("berth-facts");
        facts.add(
                fact("registry.url", new CopyableText(settings.registryPublicUrl().toString()), "registry-url"),
                fact("registry.version", new Span(Optional.ofNullable(build.getIfAvailable())
                        .map(BuildProperties::getVersion).orElse("dev")), "berth-version"),
                fact("registry.mode", new Span(getTranslation("registry.mode." + settings.registry().mode().name().toLowerCase())), "registry-mode"),
                fact("registry.storage", status(health, "storage"), "storage-health"),
                fact("registry.database", status(health, "db"), "database-health"));
        if (settings.registry().mode() == BerthSettings.RegistryMode.EXTERNAL) {
            // What the catalog and every docker client depend on in this mode: can Berth reach the registry?
            facts.add(fact("registry.external-health", status(health, "registry"), "registry-health"));
        }
        add(facts);
    }

    private Component fact(String label, Component value, String id) {
        Div row = new Div();
        row.addClassName("berth-fact");
        Span name = new Span(getTranslation(label));
        name.addClassName("berth-fact-label");
        value.setId(id);
        row.add(name, value);
        return row;
    }

    private Component status(HealthContributorRegistry registry, String name) {
        HealthContributor contributor = registry.getContributor(name);
        Status status = contributor instanceof HealthIndicator indicator ? indicator.health().getStatus() : Status.UNKNOWN;
        boolean up = Status.UP.equals(status);
        Span badge = new Span(getTranslation(up ? "registry.healthy" : "registry.unhealthy"));
        badge.getElement().getThemeList().add(up ? "badge success" : "badge error");
        return badge;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.registry");
    }
}
