package berth.e2e;

import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The console's storage pages in Chromium: a system administrator starts a dry run on "Storage"
 * and reads what it would remove; a project's storage page shows usage against the quota, which
 * only system administrators set there.
 */
class StorageConsoleE2EIT extends ConsoleE2E {

    @Test
    void a_system_admin_runs_a_dry_run_and_reads_what_it_would_remove() {
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/storage"));
        assertThat(page.locator("#gc-next")).containsText("Next scheduled run");
        page.locator("#gc-dry-run").click();
        assertThat(page.locator("#gc-runs")).containsText("Succeeded (dry run)");
        page.locator("#gc-runs vaadin-grid-cell-content").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("Succeeded (dry run)")).first().click();
        assertThat(page.locator("#gc-items")).isVisible();
        Screenshots.save(page, "storage-page");
    }

    @Test
    void a_project_page_shows_usage_and_only_system_admins_set_the_quota() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "stored");
        api.createAccount("stored-dev@example.test", "dev-password-123");
        api.putMember("stored", "stored-dev@example.test", "ADMIN");
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/stored"));
        page.locator("#storage-link").click();
        assertThat(page.locator("#storage-used")).containsText("no quota");
        page.locator("#storage-quota input").fill("10");
        page.locator("#storage-quota-save").click();
        assertThat(page.locator("#storage-used")).containsText("of 10");
        assertThat(page.locator("#storage-bar")).isVisible();
        Screenshots.save(page, "project-storage-page");

        context.clearCookies();
        signIn("stored-dev@example.test", "dev-password-123");
        page.navigate(url("/projects/stored/storage"));
        assertThat(page.locator("#storage-used")).containsText("of 10");
        assertThat(page.locator("#storage-quota")).hasCount(0);
        page.navigate(url("/storage"));
        assertThat(page.locator("#gc-run")).hasCount(0);
    }
}
