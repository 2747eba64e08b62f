package berth.e2e;

import berth.BerthApplication;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.Pause;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's main screens as the guide shows them, at a laptop's 1280×800 and a phone's 390×844,
 * in English and Korean: nothing wider than the screen, the pull-address copy button of a nested
 * repository's tag in view and copying the exact address, Sign out in reach, no serious or critical
 * axe-core finding, and a screenshot of each (target/screenshots/screen-*.png). One Berth, one
 * browser; images pushed once with skopeo into Berth's own registry.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleScreensE2EIT {

    private static final int PORT = FreePorts.next();
    private static final String HOST = "127.0.0.1:" + PORT;
    private static final String PROJECT = "screens";
    private static final String MEMBER = "viewer@example.test";
    private static final String MEMBER_PASSWORD = "viewer-password";
    private static final String LONG_TAG = "v".repeat(100) + "-build-" + "x".repeat(21);
    /** A toast that must go at once is gone within this; the error toast alone would stay six seconds. */
    private static final com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions GONE_SOON =
            new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(2500);
    private static final List<int[]> SIZES = List.of(new int[] {1280, 800}, new int[] {390, 844});

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-screens-e2e").port(PORT);
    }

    private Chromium chromium;
    private BerthApi api;
    private String axe;
    private String sbomDigest;

    @BeforeAll
    void setUp() throws IOException {
        TestImages.requireTools();
        chromium = Chromium.launch();
        api = new BerthApi(PORT);
        axe = Files.readString(Path.of("e2e", "resources", "axe", "axe.min.js"));
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        api.createAccount(MEMBER, MEMBER_PASSWORD);
        api.putMember(PROJECT, MEMBER, "MEMBER");
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        TestImages.Image image = TestImages.withFiles(ScratchDirectories.create("berth-screens-images"), "1.0",
                Map.of("etc/motd", "screens"));
        for (String destination : List.of("team/app/web:1.0", "team/app/web:" + LONG_TAG, "tools/tags:v1", "a/b/tags/c:v2")) {
            Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN_EMAIL + ":" + appkey, image.oci(),
                    "docker://" + HOST + "/" + PROJECT + "/" + destination)).requireSuccess("skopeo push of " + destination);
        }
        // A cosign signature and an SPDX SBOM attached to team/app/web:1.0, and one pull of that tag.
        tools.jackson.databind.JsonNode web = awaitTag("team/app/web", "1.0");
        String token = api.token(ADMIN_EMAIL, appkey, "service=berth-registry&scope=repository:" + PROJECT + "/team/app/web:pull,push").text("token");
        AttachedArtifacts artifacts = new AttachedArtifacts("http://" + HOST, token);
        AttachedArtifacts.Subject subject = new AttachedArtifacts.Subject(web.at("/tag/mediaType").asString(), web.at("/tag/digest").asString(),
                web.at("/manifestSize").asLong());
        artifacts.attach(PROJECT + "/team/app/web", subject, "application/vnd.dev.cosign.artifact.sig.v1+json",
                "application/vnd.dev.cosign.simplesigning.v1+json", "{\"critical\":{}}");
        sbomDigest = artifacts.attach(PROJECT + "/team/app/web", subject, "application/spdx+json", "application/spdx+json",
                "{\"spdxVersion\":\"SPDX-2.3\"}").digest();
        Tools.run(Tools.skopeo("inspect", "--raw", "--tls-verify=false", "--creds", ADMIN_EMAIL + ":" + appkey,
                "docker://" + HOST + "/" + PROJECT + "/team/app/web:1.0")).requireSuccess("skopeo pull of team/app/web:1.0");
        long until = System.currentTimeMillis() + 20_000;
        while (awaitTag("team/app/web", "1.0").at("/attached").size() < 2 || awaitTag("team/app/web", "1.0").at("/tag/pullCount").asLong() < 1) {
            assertThat(System.currentTimeMillis()).as("the attached artifacts and the pull in the catalog").isLessThan(until);
            Pause.millis(100);
        }
    }

    /** The tag's details from the REST API, once the catalog has the tag. */
    private tools.jackson.databind.JsonNode awaitTag(String repository, String tag) {
        long until = System.currentTimeMillis() + 20_000;
        while (true) {
            BerthApi.Reply reply = api.get("/api/v1/projects/" + PROJECT + "/repositories/" + repository + "/tags/" + tag, ADMIN_EMAIL, ADMIN_PASSWORD);
            if (reply.status() == 200) {
                return reply.json();
            }
            assertThat(System.currentTimeMillis()).as(repository + ":" + tag + " in the catalog").isLessThan(until);
            Pause.millis(100);
        }
    }

    @AfterAll
    void tearDown() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void every_main_screen_fits_a_laptop_and_a_phone_in_both_languages_with_no_serious_accessibility_finding() {
        List<String> findings = new ArrayList<>();
        for (String language : List.of("en", "ko")) {
            try (BrowserContext context = browser(language)) {
                Page page = context.newPage();
                for (int[] size : SIZES) {
                    page.setViewportSize(size[0], size[1]);
                    String suffix = language + "-" + size[0];
                    page.navigate(url("/login"));
                    assertThat(page.locator("vaadin-login-form")).isVisible();
                    fits(page, "sign-in " + suffix);
                    findings.addAll(axe(page, "sign-in " + suffix));
                    Screenshots.save(page, "screen-sign-in-" + suffix);
                }
                page.setViewportSize(1280, 800);
                signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
                // The only project of this Berth: sign-in lands straight on it.
                assertThat(page).hasURL(url("/projects/" + PROJECT));
                for (int[] size : SIZES) {
                    page.setViewportSize(size[0], size[1]);
                    String suffix = language + "-" + size[0];
                    screen(page, "/projects", "#projects", "projects", suffix, findings);
                    screen(page, "/projects/" + PROJECT, "#repositories", "project", suffix, findings);
                    assertThat(page.locator("#repositories")).containsText("team/app/web");
                    assertThat(page.locator("#repository-totals")).containsText("3");
                    screen(page, "/projects/" + PROJECT + "/repositories/team/app/web", "#tags", "tags", suffix, findings);
                    assertThat(page.locator("#tags")).containsText("1.0");
                    copiesThePullAddress(page, PROJECT + "/team/app/web:1.0");
                    assertThat(page.locator("#tags #selectAllCheckbox")).isVisible();
                    screen(page, "/projects/" + PROJECT + "/repositories/team/app/web/tags/1.0", "#tag-digest", "tag-details", suffix, findings);
                    assertThat(page.locator("#pull-by-tag")).containsText("docker pull " + HOST + "/" + PROJECT + "/team/app/web:1.0");
                    screen(page, "/projects/" + PROJECT + "/repositories/team/app/web/tags/" + LONG_TAG, "#tag-digest",
                            "tag-details-long", suffix, findings);
                    screen(page, "/projects/" + PROJECT + "/members", "#members", "members", suffix, findings);
                    screen(page, "/accounts", "#accounts", "accounts", suffix, findings);
                    screen(page, "/nowhere", "#error-view", "not-found", suffix, findings);
                }
            }
        }
        assertThat(findings).as("axe-core serious or critical violations").isEmpty();
    }

    @Test
    void tag_details_list_the_attached_artifacts_and_the_tag_list_shows_pulls_in_both_languages() {
        for (String language : List.of("en", "ko")) {
            try (BrowserContext context = browser(language)) {
                Page page = context.newPage();
                page.setViewportSize(1280, 800);
                signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
                boolean korean = language.equals("ko");
                page.navigate(url("/projects/" + PROJECT + "/repositories/team/app/web/tags/1.0"));
                Locator attached = page.locator("#attached");
                assertThat(page.locator("#attached-artifacts h3")).hasText(korean ? "첨부된 아티팩트 (2)" : "Attached artifacts (2)");
                assertThat(attached).containsText(korean ? "서명(cosign)" : "Signature (cosign)");
                assertThat(attached).containsText("SBOM (SPDX)".replace(" (", korean ? "(" : " ("));
                Locator copyable = attached.locator(".berth-copyable", new Locator.LocatorOptions().setHasText(sbomDigest)).first();
                page.evaluate("() => navigator.clipboard.writeText('')");
                copyable.locator(".berth-copy").click();
                page.waitForCondition(() -> !clipboard(page).isEmpty());
                assertThat(clipboard(page)).isEqualTo(sbomDigest);
                Screenshots.save(page, "screen-tag-details-attached-" + language + "-1280");

                // The pulled tag shows its count and a last pull; the other one was never pulled.
                page.navigate(url("/projects/" + PROJECT + "/repositories/team/app/web"));
                Locator tags = page.locator("#tags");
                assertThat(tags).containsText(korean ? "마지막 가져오기" : "Last pull");
                assertThat(tags.locator("vaadin-grid-cell-content", new Locator.LocatorOptions().setHasText(korean ? "없음" : "Never")))
                        .hasCount(1);
                assertThat(tags.locator("vaadin-grid-cell-content", new Locator.LocatorOptions()
                        .setHasText(java.util.regex.Pattern.compile("^1$")))).hasCount(1);
                fits(page, "tags with pulls " + language);
                copiesThePullAddress(page, PROJECT + "/team/app/web:1.0");
                page.setViewportSize(390, 844);
                assertThat(tags.locator("vaadin-grid-cell-content", new Locator.LocatorOptions()
                        .setHasText(korean ? "마지막 가져오기" : "Last pull")).first()).isHidden();
                page.setViewportSize(1280, 800);
            }
        }
    }

    @Test
    void toasts_go_away_on_navigation_and_when_a_later_result_comes() {
        try (BrowserContext context = browser("en")) {
            Page page = signIn(context, ADMIN_EMAIL, ADMIN_PASSWORD);
            Locator toast = page.locator("vaadin-notification-card");
            demoteTheOnlyAdmin(page);
            assertThat(toast).hasCount(1);
            assertThat(toast).containsText("ADMIN");
            page.locator("#signed-in-as").click();
            assertThat(page).hasURL(url("/account"));
            // Well before the error toast's own six seconds are up.
            assertThat(toast).hasCount(0, GONE_SOON);

            // An error, then a success: only the success stays.
            demoteTheOnlyAdmin(page);
            assertThat(toast).hasCount(1);
            page.locator("#new-member-email input").fill(MEMBER);
            page.locator("#add-member").click();
            assertThat(page.locator("vaadin-notification-card[theme~='success']")).containsText(MEMBER);
            assertThat(page.locator("vaadin-notification-card[theme~='error']")).hasCount(0, GONE_SOON);
            assertThat(toast).hasCount(1);
        }
    }

    @Test
    void a_services_refusal_reads_in_korean_in_the_korean_console_and_stays_english_in_the_api() {
        try (BrowserContext context = browser("ko")) {
            Page page = signIn(context, ADMIN_EMAIL, ADMIN_PASSWORD);
            page.navigate(url("/projects"));
            page.locator("#create-project").click();
            page.locator("#project-name input").fill(PROJECT);
            page.locator("#project-name input").press("Enter");
            Locator name = page.locator("#project-name");
            assertThat(name).hasAttribute("invalid", "");
            assertThat(name.locator("[slot='error-message']")).hasText(PROJECT + " 프로젝트가 이미 있습니다. 다른 이름을 입력하세요.");
            Screenshots.save(page, "screen-new-project-exists-ko-1280");
            page.keyboard().press("Escape");

            demoteTheOnlyAdmin(page);
            assertThat(page.locator("vaadin-notification-card"))
                    .hasText("프로젝트에는 ADMIN이 한 명 이상 있어야 합니다. 먼저 다른 멤버를 ADMIN으로 지정하세요.");
            Screenshots.save(page, "screen-members-last-admin-ko-1280");
        }
        BerthApi.Reply refused = api.post("/api/v1/projects", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("name", PROJECT));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("message")).isEqualTo("Project '" + PROJECT + "' exists already.");
    }

    @Test
    void the_language_chosen_is_remembered_on_the_account_and_applied_at_the_next_sign_in_in_another_browser() {
        String email = "polyglot@example.test";
        api.createAccount(email, "polyglot-password");
        api.putMember(PROJECT, email, "MEMBER");
        try (BrowserContext context = browser("en")) {
            Page page = signIn(context, email, "polyglot-password");
            assertThat(page.locator("#sign-out")).hasAttribute("aria-label", "Sign out");
            page.locator("#language-switch").click();
            page.locator("vaadin-select-item", new Page.LocatorOptions().setHasText("한국어")).click();
            assertThat(page.locator("#sign-out")).hasAttribute("aria-label", "로그아웃");
            page.locator("#sign-out").click();
            assertThat(page.locator("vaadin-login-form")).isVisible();
        }
        // Another browser, whose own language is English: the account's choice wins once signed in.
        try (BrowserContext context = browser("en")) {
            Page page = signIn(context, email, "polyglot-password");
            assertThat(page.locator("#sign-out")).hasAttribute("aria-label", "로그아웃");
            assertThat(page.locator("html")).hasAttribute("lang", "ko");
            Screenshots.save(page, "screen-project-remembered-language-ko-1280");
            // Switched back: remembered too.
            page.locator("#language-switch").click();
            page.locator("vaadin-select-item", new Page.LocatorOptions().setHasText("English")).click();
            assertThat(page.locator("#sign-out")).hasAttribute("aria-label", "Sign out");
        }
        try (BrowserContext context = browser("ko")) {
            Page page = signIn(context, email, "polyglot-password");
            assertThat(page.locator("#sign-out")).hasAttribute("aria-label", "Sign out");
        }
    }

    @Test
    void a_member_sees_no_push_instructions_and_a_styled_403_on_accounts() {
        try (BrowserContext context = browser("en")) {
            Page page = context.newPage();
            page.setViewportSize(390, 844);
            signIn(page, MEMBER, MEMBER_PASSWORD);
            assertThat(page).hasURL(url("/projects/" + PROJECT));
            assertThat(page.locator("#project-role")).hasText("MEMBER");
            assertThat(page.locator("#repositories")).containsText("tools/tags");
            assertThat(page.locator("#docker-commands")).containsText("docker pull");
            assertThat(page.locator("#docker-commands")).not().containsText("push");
            assertThat(page.locator("#project-help")).not().containsText("push");
            assertThat(page.locator("#members-link")).hasCount(0);
            Screenshots.save(page, "screen-project-member-en-390");

            page.navigate(url("/accounts"));
            assertThat(page.locator("#error-title")).hasText("Not allowed");
            assertThat(page.locator("#accounts")).hasCount(0);
            assertThat(page.locator("#error-view a")).hasAttribute("href", "projects");
            assertThat(page.locator("#sign-out")).isVisible();
            Screenshots.save(page, "screen-forbidden-en-390");

            page.navigate(url("/projects/" + PROJECT + "/repositories/team/app/web"));
            assertThat(page.locator("#tags")).containsText("1.0");
            assertThat(page.locator("#delete-tags")).hasCount(0);
            assertThat(page.locator("#delete-repository")).hasCount(0);

            // An address naming no valid repository is the reader's mistake: a page that says why, not "Something went wrong".
            page.navigate(url("/projects/" + PROJECT + "/repositories/Team/App"));
            assertThat(page.locator("#error-title")).hasText("This page cannot be opened");
            assertThat(page.locator("#error-text")).containsText("Team/App");
        }
    }

    @Test
    void repositories_whose_names_contain_tags_open_and_list_their_tags_in_the_console_and_the_api() {
        try (BrowserContext context = browser("en")) {
            Page page = signIn(context, ADMIN_EMAIL, ADMIN_PASSWORD);
            page.navigate(url("/projects/" + PROJECT + "/repositories/tools/tags"));
            assertThat(page.locator("#tags")).containsText("v1");
            page.navigate(url("/projects/" + PROJECT + "/repositories/a/b/tags/c"));
            assertThat(page.locator("#tags")).containsText("v2");
            Screenshots.save(page, "screen-tags-a-b-tags-c-en-1280");

            page.navigate(url("/projects/" + PROJECT + "/repositories/no/such/thing"));
            assertThat(page.locator("#no-such-repository")).containsText("no/such/thing");
            assertThat(page.locator("#delete-tags")).hasCount(0);
            assertThat(page.locator("#delete-repository")).hasCount(0);
            Screenshots.save(page, "screen-no-such-repository-en-1280");
        }
        BerthApi.Reply repository = api.get("/api/v1/projects/" + PROJECT + "/repositories/tools/tags", ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(repository.status()).isEqualTo(200);
        assertThat(repository.raw()).contains(PROJECT + "/tools/tags");
        for (String[] tags : List.of(new String[] {"tools/tags", "v1"}, new String[] {"a/b/tags/c", "v2"})) {
            BerthApi.Reply list = api.get("/api/v1/projects/" + PROJECT + "/repositories/" + tags[0] + "/tags", ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(list.status()).as(tags[0]).isEqualTo(200);
            assertThat(list.raw()).as(tags[0]).contains("\"" + tags[1] + "\"");
        }
    }

    @Test
    void an_invalid_email_in_new_account_is_shown_under_the_field_and_not_as_a_toast() {
        try (BrowserContext context = browser("en")) {
            Page page = signIn(context, ADMIN_EMAIL, ADMIN_PASSWORD);
            page.navigate(url("/accounts"));
            page.locator("#new-account-email input").fill("not-an-email");
            page.locator("#new-account-password input").fill("long-enough-password");
            page.locator("#create-account").click();
            Locator email = page.locator("#new-account-email");
            assertThat(email).hasAttribute("invalid", "");
            assertThat(email.locator("[slot='error-message']")).hasText("Enter an email address, like name@example.com.");
            assertThat(page.locator("vaadin-notification-card")).hasCount(0);
            assertThat(page.locator("#accounts")).not().containsText("not-an-email");
            Screenshots.save(page, "screen-new-account-invalid-en-1280");

            // Corrected and sent with Enter: the account is made, and that result is a toast.
            page.locator("#new-account-email input").fill("fresh@example.test");
            page.locator("#new-account-email input").press("Enter");
            assertThat(page.locator("#accounts")).containsText("fresh@example.test");
            assertThat(email).not().hasAttribute("invalid", "");
            assertThat(page.locator("vaadin-notification-card")).containsText("fresh@example.test");
        }
    }

    /** Asks to make the project's only ADMIN (the signed-in admin) a MEMBER: refused, with an error toast. */
    private static void demoteTheOnlyAdmin(Page page) {
        page.navigate(url("/projects/" + PROJECT + "/members"));
        page.locator("#new-member-email input").fill(ADMIN_EMAIL);
        page.locator("#add-member").click();
    }

    /** Opens {@code path}, waits for {@code ready}, and checks and records the screen. */
    private void screen(Page page, String path, String ready, String name, String suffix, List<String> findings) {
        page.navigate(url(path));
        assertThat(page.locator(ready)).isVisible();
        page.waitForTimeout(150); // the grid's first page and the narrow-screen columns arrive in the next round trip
        fits(page, name + " " + suffix);
        assertThat(page.locator("#sign-out")).isVisible();
        inViewport(page, page.locator("#sign-out"), "Sign out on " + name + " " + suffix);
        inViewport(page, page.locator("#signed-in-as"), "account link on " + name + " " + suffix);
        findings.addAll(axe(page, name + " " + suffix));
        Screenshots.save(page, "screen-" + name + "-" + suffix);
    }

    /** The page and the console's content area are no wider than the window. */
    private static void fits(Page page, String where) {
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) page.evaluate("""
                () => {
                  const root = document.scrollingElement;
                  const layout = document.querySelector('vaadin-app-layout');
                  const view = layout ? layout.querySelector(':scope > :not([slot])') : root;
                  const content = view.assignedSlot ? view.assignedSlot.parentElement : root;
                  return [root.scrollWidth, root.clientWidth, content.scrollWidth, content.clientWidth, view.scrollWidth, view.clientWidth];
                }""");
        assertThat(widths.get(0).intValue()).as("page scrollWidth vs clientWidth on " + where).isLessThanOrEqualTo(widths.get(1).intValue());
        assertThat(widths.get(2).intValue()).as("content scrollWidth vs clientWidth on " + where).isLessThanOrEqualTo(widths.get(3).intValue());
        assertThat(widths.get(4).intValue()).as("view scrollWidth vs clientWidth on " + where).isLessThanOrEqualTo(widths.get(5).intValue());
    }

    /** The copy button of a tag's pull address is wholly on screen and inside its grid, and copies the exact address. */
    private static void copiesThePullAddress(Page page, String repositoryAndTag) {
        String address = HOST + "/" + repositoryAndTag;
        Locator copyable = page.locator("#tags .berth-copyable", new Page.LocatorOptions().setHasText(address)).first();
        Locator button = copyable.locator(".berth-copy");
        assertThat(button).isVisible();
        inViewport(page, button, "copy button of " + address);
        BoundingBox box = button.boundingBox();
        BoundingBox grid = page.locator("#tags").boundingBox();
        assertThat(box.x).isGreaterThanOrEqualTo(grid.x);
        assertThat(box.x + box.width).as("copy button inside the grid").isLessThanOrEqualTo(grid.x + grid.width);
        page.evaluate("() => navigator.clipboard.writeText('')");
        button.click();
        page.waitForCondition(() -> !clipboard(page).isEmpty());
        assertThat(clipboard(page)).isEqualTo(address);
    }

    private static void inViewport(Page page, Locator element, String what) {
        BoundingBox box = element.boundingBox();
        assertThat(box).as(what).isNotNull();
        assertThat(box.x).as(what + " left edge").isGreaterThanOrEqualTo(0);
        assertThat(box.x + box.width).as(what + " right edge").isLessThanOrEqualTo(page.viewportSize().width);
        assertThat(box.y + box.height).as(what + " bottom edge").isLessThanOrEqualTo(page.viewportSize().height);
    }

    /** axe-core's serious and critical violations on the page as it is now, one line each. */
    private List<String> axe(Page page, String where) {
        if (!(Boolean) page.evaluate("() => typeof window.axe !== 'undefined'")) {
            page.addScriptTag(new Page.AddScriptTagOptions().setContent(axe));
        }
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) page.evaluate("""
                async () => {
                  const result = await axe.run(document, { resultTypes: ['violations'] });
                  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
                }""");
        List<String> lines = found.stream().map(f -> where + ": " + f).toList();
        lines.forEach(line -> System.out.println("axe-core: " + line));
        return lines;
    }

    private BrowserContext browser(String language) {
        BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions()
                .setLocale(language.equals("ko") ? "ko-KR" : "en-US").setTimezoneId("Asia/Seoul"));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(url("")));
        return context;
    }

    /** A new page of {@code context}, signed in as {@code email}. */
    private static Page signIn(BrowserContext context, String email, String password) {
        Page page = context.newPage();
        signIn(page, email, password);
        return page;
    }

    /** Signs in by the form's field names, so it works in either language. */
    private static void signIn(Page page, String email, String password) {
        page.navigate(url("/login"));
        assertThat(page.locator("vaadin-login-form input[name='username']")).isEditable();
        page.locator("vaadin-login-form input[name='username']").fill(email);
        page.locator("vaadin-login-form input[name='password']").fill(password);
        page.locator("vaadin-login-form input[name='password']").press("Enter");
        assertThat(page.locator("#signed-in-as")).hasText(email);
    }

    private static String clipboard(Page page) {
        return (String) page.evaluate("() => navigator.clipboard.readText()");
    }

    private static String url(String path) {
        return "http://" + HOST + path;
    }

}
