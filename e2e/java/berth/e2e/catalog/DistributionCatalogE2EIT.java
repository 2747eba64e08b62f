package berth.e2e.catalog;

import berth.BerthApplication;
import berth.catalog.remote.DistributionConfig;
import berth.e2e.Chromium;
import berth.e2e.ExternalMode;
import berth.e2e.Screenshots;
import berth.testing.BerthApi;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog in external mode, in front of a real CNCF Distribution 2.8 configured with the very
 * fragment Berth hands out: Berth's token service, Berth's notifications endpoint, deletes on.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class DistributionCatalogE2EIT extends CatalogAcceptance {

    private static final ExternalMode EXTERNAL = new ExternalMode("events-secret-for-tests");

    @Autowired
    DistributionConfig distributionConfig;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        EXTERNAL.settings(registry, "berth-catalog-distribution");
    }

    /** Distribution needs Berth's certificate, which exists once Berth has started: so it starts with the first test. */
    @BeforeEach
    void startDistribution() throws IOException {
        if (!EXTERNAL.distributionRuns()) {
            EXTERNAL.startDistribution(distributionConfig);
            warmUp();
        }
    }

    @AfterAll
    static void stopDistribution() {
        EXTERNAL.close();
    }

    @Test
    void the_registry_health_is_up_and_only_a_system_administrator_sees_its_details() {
        // Anonymous callers (load balancers) get the overall status, which includes the registry's, and nothing more.
        BerthApi.Reply anonymous = api().send(HttpRequest.newBuilder(URI.create(berthUrl() + "/actuator/health")).GET());
        assertThat(anonymous.status()).as(anonymous.raw()).isEqualTo(200);
        assertThat(anonymous.text("status")).isEqualTo("UP");
        assertThat(anonymous.json().has("components")).isFalse();

        BerthApi.Reply admin = api().get("/actuator/health/registry", ADMIN, ADMIN_PASSWORD);
        assertThat(admin.status()).as(admin.raw()).isEqualTo(200);
        assertThat(admin.text("status")).isEqualTo("UP");
        assertThat(admin.json().at("/details/status").asInt()).as("Distribution asks for Berth's tokens").isEqualTo(401);
        assertThat(admin.json().at("/details/registry").asString()).isEqualTo(EXTERNAL.distribution().host());
    }

    @Test
    void the_console_registry_page_shows_the_external_engine_and_its_health() {
        try (Chromium chromium = Chromium.launch()) {
            Page page = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
            page.navigate(berthUrl() + "/login");
            page.getByLabel("Email").fill(ADMIN);
            page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(ADMIN_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            // Sign-in lands on the projects; the registry facts have their own page.
            PlaywrightAssertions.assertThat(page.locator("#signed-in-as")).hasText(ADMIN);
            page.navigate(berthUrl() + "/registry");

            PlaywrightAssertions.assertThat(page.locator("#registry-mode")).containsText("External CNCF Distribution");
            PlaywrightAssertions.assertThat(page.locator("#registry-url")).containsText(EXTERNAL.distribution().host());
            PlaywrightAssertions.assertThat(page.locator("#registry-health")).hasText("Healthy");
            Screenshots.save(page, "registry-view-external");
        }
    }

    @Override
    String registryUrl() {
        return EXTERNAL.distribution().url();
    }

    @Override
    String usageCountedFrom() {
        return "CATALOG";
    }

    @Override
    String registryHost() {
        return EXTERNAL.distribution().host();
    }

    @Override
    String berthUrl() {
        return EXTERNAL.berthUrl();
    }

    @Override
    String project() {
        return "acme";
    }

    @Override
    String eventsSecret() {
        return EXTERNAL.eventsSecret();
    }
}
