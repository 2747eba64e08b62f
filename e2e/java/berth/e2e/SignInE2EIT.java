package berth.e2e;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class SignInE2EIT extends ConsoleE2E {

    @Test
    void the_bootstrap_admin_signs_in_and_sees_the_registry_view() {
        page.navigate(url("/"));
        assertThat(page).hasURL(url("/login"));
        Screenshots.save(page, "sign-in-page");

        page.getByLabel("Email").fill("admin@example.test");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("admin-password-for-tests");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page.locator("#registry-url")).containsText("http://" + REGISTRY_HOST + "");
        assertThat(page.locator("#registry-mode")).containsText("Embedded");
        assertThat(page.locator("#storage-health")).hasText("Healthy");
        assertThat(page.locator("#database-health")).hasText("Healthy");
        assertThat(page.locator("#registry-health")).hasCount(0); // nothing external to check in embedded mode
        assertThat(page.locator("#signed-in-as")).hasText("admin@example.test");
        Screenshots.save(page, "registry-view");
    }

    @Test
    void a_wrong_password_shows_an_error_and_stays_on_the_sign_in_page() {
        page.navigate(url("/login"));
        page.getByLabel("Email").fill("admin@example.test");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?error"));
        assertThat(page.getByText("The email or password is not right.")).isVisible();
        Screenshots.save(page, "sign-in-failed");
    }

    @Test
    void switching_to_korean_changes_the_labels() {
        page.navigate(url("/login"));
        page.locator("#language-switch").click();
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("한국어")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("로그인"))).isVisible();
        Screenshots.save(page, "sign-in-korean");
    }
}
