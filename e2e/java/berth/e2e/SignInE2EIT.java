package berth.e2e;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class SignInE2EIT extends ConsoleE2E {

    @Test
    void the_bootstrap_admin_signs_in_lands_on_projects_and_opens_the_registry_view() {
        page.navigate(url("/"));
        assertThat(page).hasURL(url("/login"));
        Screenshots.save(page, "sign-in-page");

        page.getByLabel("Email").fill("admin@example.test");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("admin-password-for-tests");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        // Sign-in lands on the projects (or the only one), as in the guide; the registry facts are one click away.
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/projects(/[a-z0-9._-]+)?([?].*)?$"));
        page.navigate(url("/registry"));
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
    void a_person_changes_their_password_from_the_header_and_then_signs_in_with_the_new_one_only() {
        api.createAccount("changer@example.test", "first-password");
        api.createProject("admin@example.test", "admin-password-for-tests", "changers");
        api.putMember("changers", "changer@example.test", "MEMBER");
        signIn("changer@example.test", "first-password");
        page.navigate(url("/projects/changers")); // the header's link leads to the account page from a nested address too

        page.locator("#signed-in-as").click();
        assertThat(page).hasURL(url("/account"));
        Page.GetByLabelOptions exact = new Page.GetByLabelOptions().setExact(true);
        changePassword("first-password", "second-password", "second-passw0rd");
        assertThat(page.getByText("The two new passwords differ; nothing was changed.").first()).isVisible();

        changePassword("not-my-password", "second-password", "second-password");
        // The field says it; Vaadin's live region repeats it for screen readers, so ask the field.
        assertThat(page.locator("#current-password").getByText("The current password is not right; the password stays as it was."))
                .isVisible();

        changePassword("first-password", "second-password", "second-password");
        assertThat(page.getByText("Your password is changed. Use the new one from now on.")).isVisible();
        assertThat(page.getByLabel("Current password", exact)).isEmpty();
        Screenshots.save(page, "password-changed");

        page.locator("#sign-out").click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login.*"));
        page.getByLabel("Email").fill("changer@example.test");
        page.getByLabel("Password", exact).fill("first-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByText("The email or password is not right.")).isVisible();
        signIn("changer@example.test", "second-password");
    }

    @Test
    void a_new_password_signs_the_account_out_of_its_other_browsers_but_not_the_one_that_changed_it() {
        api.createAccount("roamer@example.test", "first-password");
        signIn("roamer@example.test", "first-password");
        Page elsewhere = anotherBrowser();
        signIn(elsewhere, "roamer@example.test", "first-password");

        page.locator("#signed-in-as").click();
        changePassword("first-password", "second-password", "second-password");
        assertThat(page.getByText("Your password is changed. Use the new one from now on.")).isVisible();

        // The other browser's next click inside the console lands on the sign-in page.
        elsewhere.locator("#signed-in-as").click();
        assertThat(elsewhere).hasURL(java.util.regex.Pattern.compile(".*/login.*"));
        assertThat(elsewhere.locator("#signed-in-as")).hasCount(0);
        // The browser that changed it is still signed in, for clicks and for page loads.
        page.navigate(url("/projects"));
        assertThat(page.locator("#signed-in-as")).hasText("roamer@example.test");

        // A system administrator's reset ends every session, the person's own included.
        org.assertj.core.api.Assertions.assertThat(api.put("/api/v1/accounts/roamer@example.test/password",
                "admin@example.test", "admin-password-for-tests", java.util.Map.of("password", "third-password")).status()).isEqualTo(204);
        page.navigate(url("/projects"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login.*"));
        signIn("roamer@example.test", "third-password");
    }

    /** Fills the account page's form and submits it. */
    private void changePassword(String current, String newPassword, String again) {
        Page.GetByLabelOptions exact = new Page.GetByLabelOptions().setExact(true);
        page.getByLabel("Current password", exact).fill(current);
        page.getByLabel("New password", exact).fill(newPassword);
        page.getByLabel("New password again", exact).fill(again);
        page.locator("#change-password").click();
    }

    @Test
    void a_system_admin_sets_a_forgotten_password_in_accounts() {
        api.createAccount("forgetful@example.test", "long-forgotten");
        signIn("admin@example.test", "admin-password-for-tests");
        page.navigate(url("/accounts"));

        page.locator("[id='set-password-forgetful@example.test']").click();
        page.locator("#set-password-value input").fill("given-by-the-admin");
        page.locator("#set-password-confirm").click();
        assertThat(page.getByText("The password of forgetful@example.test is set.")).isVisible();

        org.assertj.core.api.Assertions.assertThat(api.get("/api/v1/projects", "forgetful@example.test", "given-by-the-admin").status())
                .isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(api.get("/api/v1/projects", "forgetful@example.test", "long-forgotten").status())
                .isEqualTo(401);
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
