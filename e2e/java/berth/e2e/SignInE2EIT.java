package berth.e2e;

import berth.BerthApplication;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SignInE2EIT {

    private static Chromium chromium;

    @LocalServerPort
    int port;

    private BrowserContext context;
    private Page page;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("berth-e2e").toString();
        registry.add("berth.data-dir", () -> dir);
        registry.add("berth.public-url", () -> "http://registry.example.test:5000");
    }

    @BeforeAll
    static void launchBrowser() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeBrowser() {
        chromium.close();
    }

    @BeforeEach
    void openPage() {
        context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions().setLocale("en-US"));
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void the_bootstrap_admin_signs_in_and_sees_the_registry_view() {
        page.navigate("http://localhost:" + port + "/");
        assertThat(page).hasURL("http://localhost:" + port + "/login");
        Screenshots.save(page, "sign-in-page");

        page.getByLabel("Email").fill("admin@example.test");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("admin-password-for-tests");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page.locator("#registry-url")).containsText("http://registry.example.test:5000");
        assertThat(page.locator("#registry-mode")).containsText("Embedded");
        assertThat(page.locator("#storage-health")).hasText("Healthy");
        assertThat(page.locator("#database-health")).hasText("Healthy");
        assertThat(page.locator("#signed-in-as")).hasText("admin@example.test");
        Screenshots.save(page, "registry-view");
    }

    @Test
    void a_wrong_password_shows_an_error_and_stays_on_the_sign_in_page() {
        page.navigate("http://localhost:" + port + "/login");
        page.getByLabel("Email").fill("admin@example.test");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?error"));
        assertThat(page.getByText("The email or password is not right.")).isVisible();
        Screenshots.save(page, "sign-in-failed");
    }

    @Test
    void switching_to_korean_changes_the_labels() {
        page.navigate("http://localhost:" + port + "/login");
        page.locator("#language-switch").click();
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("한국어")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("로그인"))).isVisible();
        Screenshots.save(page, "sign-in-korean");
    }
}
