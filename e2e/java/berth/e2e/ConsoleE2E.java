package berth.e2e;

import berth.BerthApplication;
import berth.testing.BerthApi;
import berth.testing.TestSettings;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Base of the browser tests: one Berth on a random port shared by every console test class (same
 * configuration, so Spring starts it once), one Chromium per class, a fresh browser context per test.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ConsoleE2E {

    public static final String REGISTRY_HOST = "registry.example.test:5000";

    private static Chromium chromium;

    @LocalServerPort
    protected int port;

    protected BrowserContext context;
    protected Page page;
    protected BerthApi api;
    private final List<BrowserContext> otherBrowsers = new java.util.ArrayList<>();

    @DynamicPropertySource
    static void consoleSettings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-console-e2e").publicAddress(REGISTRY_HOST);
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
        api = new BerthApi(port);
        context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("en-US"));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(url("")));
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        otherBrowsers.forEach(BrowserContext::close);
        otherBrowsers.clear();
        context.close();
    }

    /** A page in a browser of its own (its own cookies), as another computer would be; closed after the test. */
    protected Page anotherBrowser() {
        return anotherBrowser("en-US");
    }

    /** {@link #anotherBrowser()} whose language is {@code locale}, such as {@code ko-KR}. */
    protected Page anotherBrowser(String locale) {
        BrowserContext other = chromium.browser().newContext(new Browser.NewContextOptions().setLocale(locale));
        otherBrowsers.add(other);
        return other.newPage();
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected void signIn(String email, String password) {
        signIn(page, email, password);
    }

    protected void signIn(Page on, String email, String password) {
        on.navigate(url("/login"));
        on.getByLabel("Email").fill(email);
        on.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        on.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(on.locator("#signed-in-as")).hasText(email);
    }

    /**
     * What a MEMBER meets of a page for ADMINs about {@code project} ({@code projects/<project>/<section>}):
     * the project page, with no link to it; the page itself, opened anyway, the console's 403 page and
     * nothing of {@code content}.
     */
    protected void assertAdminsOnly(Page member, String project, String section, String content) {
        member.navigate(url("/projects/" + project));
        assertThat(member.locator("#project-role")).isVisible();
        assertThat(member.locator("#" + section + "-link")).hasCount(0);
        member.navigate(url("/projects/" + project + "/" + section));
        assertThat(member.locator("#error-title")).hasText("Not allowed");
        assertThat(member.locator(content)).hasCount(0);
    }

    protected String clipboard() {
        return (String) page.evaluate("() => navigator.clipboard.readText()");
    }
}
