package berth.e2e;

import berth.testing.BerthApi;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Webhooks" in Chromium, with the SSRF guard on (this Berth's default): an ADMIN is told in a
 * sentence why a loopback URL is refused, adds an endpoint, sends a test event and reads the
 * delivery's fate, switches the endpoint off, changes it without seeing its secret, deletes it; a
 * MEMBER gets the 403 page.
 */
class WebhooksConsoleE2EIT extends ConsoleE2E {

    private static final String ADMIN = "hooks-admin@example.test";
    private static final String DEV = "hooks-dev@example.test";
    private static final String PASSWORD = "hooks-password-1";
    /** TEST-NET-1 (RFC 5737): public as far as the guard can tell, and nothing answers there. */
    private static final String UNREACHABLE = "http://192.0.2.1:9/berth-hook";

    @Test
    void an_admin_manages_an_endpoint_and_reads_its_deliveries_a_member_is_refused() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "hooked");
        api.createAccount(ADMIN, PASSWORD);
        api.createAccount(DEV, PASSWORD);
        api.putMember("hooked", ADMIN, "ADMIN");
        api.putMember("hooked", DEV, "MEMBER");

        signIn(ADMIN, PASSWORD);
        page.navigate(url("/projects/hooked"));
        page.locator("#webhooks-link").click();
        assertThat(page).hasURL(url("/projects/hooked/webhooks"));
        assertThat(page.locator("#webhook-endpoints")).containsText("No endpoints yet");

        page.locator("#webhook-add").click();
        page.locator("#webhook-url input").fill("http://127.0.0.1:8080/hook");
        page.locator("#webhook-secret input").fill("s3cret-for-the-console");
        page.locator("#webhook-save").click();
        assertThat(page.locator("#webhook-problem")).containsText(
                "The webhook host 127.0.0.1 resolves to 127.0.0.1, a loopback, link-local or private address");
        Screenshots.save(page, "webhook-refused");

        page.locator("#webhook-url input").fill(UNREACHABLE);
        page.locator("#webhook-events vaadin-checkbox").filter(new Locator.FilterOptions().setHasText("Delete")).click();
        page.locator("#webhook-repositories input").fill("team/*");
        page.locator("#webhook-save").click();
        assertThat(page.locator("#webhook-form")).hasCount(0);
        Locator endpoints = page.locator("#webhook-endpoints");
        assertThat(endpoints).containsText(UNREACHABLE);
        assertThat(endpoints).containsText("Push, Delete");
        assertThat(endpoints).containsText("team/*");

        JsonNode listed = api.get("/api/v1/projects/hooked/webhooks", ADMIN, PASSWORD).json().get(0);
        long id = listed.path("id").asLong();
        assertThat(listed.path("events").toString()).contains("PUSH_ARTIFACT").contains("DELETE_ARTIFACT");
        assertThat(listed.has("secret")).as("the secret is never returned").isFalse();
        assertThat(page.locator("#webhook-state-" + id)).hasText("Enabled");

        page.locator("#webhook-test-" + id).click();
        Locator deliveries = page.locator("#webhook-deliveries");
        assertThat(deliveries).containsText("Test event");
        // Nothing answers at TEST-NET-1: the first attempt fails and the delivery waits for its retry (the page polls).
        assertThat(deliveries).containsText("Pending");
        // The attempt's failure (refused, unreachable or timed out after 10 s) is shown as the last problem.
        assertThat(deliveries).containsText(java.util.regex.Pattern.compile("Exception"),
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        Screenshots.save(page, "webhooks");

        page.locator("#webhook-enabled-" + id).click();
        assertThat(page.locator("#webhook-state-" + id)).hasText("Disabled");
        assertThat(api.get("/api/v1/projects/hooked/webhooks", ADMIN, PASSWORD).json().get(0).path("enabled").asBoolean()).isFalse();

        page.locator("#webhook-edit-" + id).click();
        assertThat(page.locator("#webhook-url input")).hasValue(UNREACHABLE);
        assertThat(page.locator("#webhook-secret input")).hasValue("");
        page.locator("#webhook-repositories input").fill("**");
        page.locator("#webhook-save").click();
        assertThat(endpoints).containsText("**");

        page.locator("#webhook-delete-" + id).click();
        page.locator("vaadin-button[slot='confirm-button']").click();
        // The grid keeps the text of rows it no longer shows in its DOM: the toast and the API tell.
        assertThat(page.getByText("Webhook " + UNREACHABLE + " deleted.")).isVisible();
        assertThat(api.get("/api/v1/projects/hooked/webhooks", ADMIN, PASSWORD).json().size()).isZero();

        Page member = anotherBrowser();
        signIn(member, DEV, PASSWORD);
        assertAdminsOnly(member, "hooked", "webhooks", "#webhook-endpoints");
        BerthApi.Reply refused = api.get("/api/v1/projects/hooked/webhooks", DEV, PASSWORD);
        assertThat(refused.status()).isEqualTo(403);
    }
}
