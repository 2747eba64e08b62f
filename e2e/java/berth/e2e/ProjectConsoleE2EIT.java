package berth.e2e;

import berth.testing.BerthApi;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The guide's project page: create a project, read "Registry address" and "URL & Appkey", regenerate; remove a member, revoke an Appkey. */
class ProjectConsoleE2EIT extends ConsoleE2E {

    @Test
    void an_admin_creates_a_project_and_reads_its_registry_address_and_appkey() {
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects"));
        page.locator("#create-project").click();
        page.locator("#project-name input").fill("webshop");
        page.locator("#create-project-confirm").click();
        assertThat(page).hasURL(url("/projects/webshop"));
        Screenshots.save(page, "project-page");

        page.locator("#registry-address-button").click();
        Locator address = page.locator("#registry-address-dialog #registry-address");
        assertThat(address).containsText(REGISTRY_HOST + "/webshop");
        address.locator(".berth-copy").click();
        assertThat(page.getByText("Copied to the clipboard")).isVisible();
        assertThat(clipboard()).isEqualTo(REGISTRY_HOST + "/webshop");
        Screenshots.save(page, "registry-address-dialog");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

        page.locator("#url-appkey-button").click();
        String shown = page.locator("#url-appkey-dialog #appkey-value .berth-mono").textContent();
        assertThat(shown).isEqualTo(api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "webshop"));
        assertThat(page.locator("#url-appkey-dialog #appkey-username")).containsText(ADMIN_EMAIL);
        assertThat(page.locator("#url-appkey-dialog #registry-url-value")).containsText("http://" + REGISTRY_HOST);
        Screenshots.save(page, "url-appkey-dialog");

        page.locator("#regenerate-appkey").click();
        page.locator("vaadin-button[slot='confirm-button']").click();
        assertThat(page.getByText("A new Appkey was created")).isVisible();
        String regenerated = page.locator("#url-appkey-dialog #appkey-value .berth-mono").textContent();
        assertThat(regenerated).isNotEqualTo(shown);
        assertThat(api.token(ADMIN_EMAIL, shown, "").status()).isEqualTo(401);
        assertThat(api.token(ADMIN_EMAIL, regenerated, "").status()).isEqualTo(200);
    }

    @Test
    void an_admin_adds_a_member_who_then_sees_the_project_but_not_its_members_page() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "catalogue");
        api.createAccount("dev@example.test", "dev-password");
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/catalogue/members"));
        page.locator("#new-member-email input").fill("dev@example.test");
        page.locator("#add-member").click();
        assertThat(page.locator("#members")).containsText("dev@example.test");
        Screenshots.save(page, "members-page");

        context.clearCookies();
        signIn("dev@example.test", "dev-password");
        page.navigate(url("/projects"));
        assertThat(page.locator("#projects")).containsText("catalogue");
        page.navigate(url("/projects/catalogue"));
        assertThat(page.locator("#project-role")).hasText("MEMBER");
        assertThat(page.locator("#members-link")).hasCount(0);
        page.navigate(url("/projects/catalogue/members"));
        assertThat(page.getByText("Only an ADMIN of this project manages its members")).isVisible();
    }

    @Test
    void an_admin_removes_a_member_and_revokes_a_project_appkey_each_after_confirming() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "roster");
        // Sorted before the ADMIN, so its row's remove button comes first.
        api.createAccount("aaa-leaver@example.test", "leaver-password");
        api.putMember("roster", "aaa-leaver@example.test", "MEMBER");
        BerthApi.Reply key = api.post("/api/v1/projects/roster/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("name", "ci", "permission", "pull"));
        assertThat(key.status()).as(key.raw()).isEqualTo(201);
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/roster/members"));

        page.locator("#members vaadin-button[aria-label='Remove member']").first().click();
        assertThat(page.getByText("Remove aaa-leaver@example.test from the project?", new Page.GetByTextOptions().setExact(false))).isVisible();
        page.locator("vaadin-button[slot='confirm-button']").click();
        assertThat(page.getByText("aaa-leaver@example.test removed")).isVisible();
        assertThat(api.get("/api/v1/projects/roster/members", ADMIN_EMAIL, ADMIN_PASSWORD).raw()).doesNotContain("aaa-leaver@example.test");

        page.locator("#project-appkeys vaadin-button", new Page.LocatorOptions().setHasText("Revoke")).click();
        assertThat(page.getByText("Revoke " + key.text("username") + "?", new Page.GetByTextOptions().setExact(false))).isVisible();
        page.locator("vaadin-button[slot='confirm-button']").click();
        assertThat(page.getByText(key.text("username") + " revoked")).isVisible();
        assertThat(api.get("/api/v1/projects/roster/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD).json().size()).isZero();
    }
}
