package berth.e2e;

import berth.BerthApplication;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product guide as a user walks it, against Berth's own registry: read the registry address and
 * Appkey in the console, push with skopeo, watch the repository appear, check digest and size against
 * the registry's own answer, copy a pull address, delete one of two tags on a digest, and look as a
 * MEMBER and in Korean. Each step leaves a screenshot in target/screenshots/guide-*.png.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuideWalkthroughE2EIT {

    private static final int PORT = FreePorts.next();
    private static final String HOST = "127.0.0.1:" + PORT;
    private static final String PROJECT = "guide";
    private static final String MEMBER = "member@example.test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-guide-e2e").port(PORT);
    }

    private Chromium chromium;
    private BerthApi api;
    private Path work;
    private String registryAddress;
    private String appkey;
    private TestImages.Layout.Image image;
    private TestImages.Layout.Index index;

    @BeforeAll
    void setUp() throws IOException {
        chromium = Chromium.launch();
        api = new BerthApi(PORT);
        work = ScratchDirectories.create("berth-guide-images");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        api.createAccount(MEMBER, "member-password");
        api.putMember(PROJECT, MEMBER, "MEMBER");
    }

    @AfterAll
    void tearDown() {
        chromium.close();
    }

    @Test
    @Order(1)
    void an_admin_reads_the_registry_address_and_appkey_from_the_two_dialogs() {
        try (BrowserContext context = browser("en-US")) {
            Page page = signInAndOpen(context, ADMIN_EMAIL, ADMIN_PASSWORD, "/projects/" + PROJECT);
            page.locator("#registry-address-button").click();
            registryAddress = page.locator("#registry-address-dialog #registry-address .berth-mono").textContent();
            assertThat(registryAddress).isEqualTo(HOST + "/" + PROJECT);
            Screenshots.save(page, "guide-1-registry-address");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();
            page.locator("#url-appkey-button").click();
            appkey = page.locator("#url-appkey-dialog #appkey-value .berth-mono").textContent();
            assertThat(appkey).startsWith("berth_");
            Screenshots.save(page, "guide-1-url-appkey");
        }
    }

    @Test
    @Order(2)
    void skopeo_pushes_two_tags_on_one_digest_and_a_multi_arch_index() {
        TestImages.Layout images = TestImages.Layout.in(work);
        image = images.image("18.04", "amd64", "like ubuntu 18.04");
        index = images.twoPlatformIndex("multi", "like ubuntu, twice");
        push("18.04", "ubuntu:18.04");
        push("18.04", "ubuntu:latest");
        push("multi", "ubuntu:multi");
    }

    @Test
    @Order(3)
    void the_repository_appears_by_itself_with_the_registrys_digest_and_size() {
        JsonNode raw = rawManifest("ubuntu:18.04");
        String registryDigest = inspectDigest("ubuntu:18.04");
        long registrySize = raw.path("config").path("size").asLong() + rawManifestBytes("ubuntu:18.04")
                + sum(raw.path("layers"));
        assertThat(registryDigest).isEqualTo(image.digest());

        try (BrowserContext context = browser("en-US")) {
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(url("")));
            Page page = signInAndOpen(context, ADMIN_EMAIL, ADMIN_PASSWORD, "/projects/" + PROJECT + "/repositories");
            assertThat(page.locator("#repositories")).containsText("ubuntu");
            Screenshots.save(page, "guide-3-repositories");

            page.locator("#repositories").getByText("ubuntu", new Locator.GetByTextOptions().setExact(true)).click();
            assertThat(page).hasURL(url("/projects/" + PROJECT + "/repositories/ubuntu"));
            Locator tags = page.locator("#tags");
            assertThat(tags).containsText("18.04");
            assertThat(tags).containsText("latest");
            assertThat(tags).containsText("multi-arch: 2 platforms");
            Screenshots.save(page, "guide-3-tags");

            Locator row = tagRow(page, "18.04");
            row.locator(".berth-copy").click();
            assertThat(page.getByText("Copied to the clipboard")).isVisible();
            page.waitForCondition(() -> !clipboard(page).isEmpty());
            assertThat(clipboard(page)).isEqualTo(registryAddress + "/ubuntu:18.04");

            page.navigate(url("/projects/" + PROJECT + "/repositories/ubuntu/tags/18.04"));
            assertThat(page.locator("#tag-digest")).containsText(registryDigest);
            assertThat(page.locator("#tag-size")).containsText("(" + registrySize + " B)");
            assertThat(page.locator("#pull-by-tag")).containsText("docker pull " + registryAddress + "/ubuntu:18.04");
            assertThat(page.locator("#pull-by-digest")).containsText("docker pull " + registryAddress + "/ubuntu@" + registryDigest);
            assertThat(page.locator("#image-layers")).containsText(image.layers().get(0).digest());
            Screenshots.save(page, "guide-3-tag-details");

            page.navigate(url("/projects/" + PROJECT + "/repositories/ubuntu/tags/multi"));
            assertThat(page.locator("#tag-digest")).containsText(index.digest());
            assertThat(page.locator("#platforms")).containsText("linux/amd64");
            assertThat(page.locator("#platforms")).containsText("linux/arm64");
            Screenshots.save(page, "guide-3-index-details");
        }
    }

    @Test
    @Order(4)
    void an_admin_deletes_one_of_two_tags_on_a_digest_and_the_sibling_stays() {
        try (BrowserContext context = browser("en-US")) {
            Page page = signInAndOpen(context, ADMIN_EMAIL, ADMIN_PASSWORD, "/projects/" + PROJECT + "/repositories/ubuntu");
            tagRow(page, "latest").locator("vaadin-checkbox").click();
            page.locator("#delete-tags").click();
            assertThat(page.locator("#delete-confirm-text")).containsText(PROJECT + "/ubuntu:latest");
            assertThat(page.locator("#delete-confirm-text")).containsText("Other tags that point at the same digest stay");
            Screenshots.save(page, "guide-4-delete-confirm");
            page.locator("vaadin-button[slot='confirm-button']").click();
            assertThat(page.getByText("Deleted: latest")).isVisible();
            assertThat(page.locator("#tags")).not().containsText("latest");
            assertThat(page.locator("#tags")).containsText("18.04");
            Screenshots.save(page, "guide-4-after-delete");
        }
        assertThat(skopeoInspect("ubuntu:18.04").exit()).isZero();
        assertThat(skopeoInspect("ubuntu:latest").exit()).isNotZero();
    }

    @Test
    @Order(5)
    void a_member_browses_but_sees_no_delete_and_a_crafted_delete_is_refused() {
        try (BrowserContext context = browser("en-US")) {
            Page page = signInAndOpen(context, MEMBER, "member-password", "/projects/" + PROJECT + "/repositories");
            assertThat(page.locator("#repositories")).containsText("ubuntu");
            page.navigate(url("/projects/" + PROJECT + "/repositories/ubuntu"));
            assertThat(page.locator("#tags")).containsText("18.04");
            assertThat(page.locator("#delete-tags")).hasCount(0);
            assertThat(page.locator("#tags vaadin-checkbox")).hasCount(0);
            Screenshots.save(page, "guide-5-member-tags");

            // The member's own browser session, cookies and all, asks the API to delete a tag.
            int status = page.request().delete(url("/api/v1/projects/" + PROJECT + "/repositories/ubuntu/tags/18.04")).status();
            assertThat(status).isIn(401, 403);
        }
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/repositories/ubuntu/tags/18.04", MEMBER, "member-password").status())
                .isEqualTo(200);
        assertThat(api.delete("/api/v1/projects/" + PROJECT + "/repositories/ubuntu/tags/18.04", MEMBER, "member-password").status())
                .isEqualTo(403);
        assertThat(skopeoInspect("ubuntu:18.04").exit()).isZero();
    }

    @Test
    @Order(6)
    void switching_to_korean_changes_the_labels() {
        try (BrowserContext context = browser("en-US")) {
            Page page = signInAndOpen(context, ADMIN_EMAIL, ADMIN_PASSWORD, "/projects/" + PROJECT + "/repositories");
            assertThat(page.locator("h2")).hasText("Repositories");
            page.locator("#language-switch").click();
            page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("한국어")).click();
            assertThat(page.locator("h2")).hasText("리포지토리");
            assertThat(page.locator("#repositories")).containsText("마지막 저장(Push)");
            Screenshots.save(page, "guide-6-korean");
        }
    }

    private Locator tagRow(Page page, String tag) {
        // Grid cells live in light DOM slots; find the row's cells by the tag link and walk to its siblings.
        Locator link = page.locator("#tags a", new Page.LocatorOptions().setHasText(tag)).first();
        String slot = (String) link.evaluate("a => a.closest('vaadin-grid-cell-content').getAttribute('slot')");
        String rowIndex = (String) page.evaluate("slot => { const cell = [...document.querySelector('#tags').shadowRoot"
                + ".querySelectorAll('td')].find(td => td.querySelector('slot')?.name === slot); return cell.parentElement.getAttribute('aria-rowindex'); }", slot);
        String slots = (String) page.evaluate("idx => [...document.querySelector('#tags').shadowRoot.querySelectorAll('tr[aria-rowindex=\"' + idx + '\"] td slot')].map(s => s.name).join(',')", rowIndex);
        StringBuilder selector = new StringBuilder();
        for (String s : slots.split(",")) {
            selector.append(selector.isEmpty() ? "" : ", ").append("#tags vaadin-grid-cell-content[slot='").append(s).append("']");
        }
        return page.locator(selector.toString());
    }

    private BrowserContext browser(String locale) {
        return chromium.browser().newContext(new Browser.NewContextOptions().setLocale(locale));
    }

    /** A new page of {@code context}, signed in as {@code email}, at {@code path}. */
    private Page signInAndOpen(BrowserContext context, String email, String password, String path) {
        Page page = context.newPage();
        page.navigate(url("/login"));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#signed-in-as")).hasText(email);
        page.navigate(url(path));
        return page;
    }

    private static String clipboard(Page page) {
        return (String) page.evaluate("() => navigator.clipboard.readText()");
    }

    private static String url(String path) {
        return "http://" + HOST + path;
    }

    private void push(String layoutTag, String reference) {
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN_EMAIL + ":" + appkey, "--all",
                "oci:" + work.resolve("layout") + ":" + layoutTag, "docker://" + registryAddress + "/" + reference))
                .requireSuccess("skopeo push of " + reference);
    }

    private Tools.Result skopeoInspect(String reference) {
        return Tools.run(Tools.skopeo("inspect", "--tls-verify=false", "--raw", "--creds", ADMIN_EMAIL + ":" + appkey,
                "docker://" + registryAddress + "/" + reference));
    }

    private JsonNode rawManifest(String reference) {
        return JSON.readTree(skopeoInspect(reference).requireSuccess("skopeo inspect").output());
    }

    private long rawManifestBytes(String reference) {
        return skopeoInspect(reference).requireSuccess("skopeo inspect").output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private String inspectDigest(String reference) {
        String output = Tools.run(Tools.skopeo("inspect", "--tls-verify=false", "--creds", ADMIN_EMAIL + ":" + appkey,
                "docker://" + registryAddress + "/" + reference)).requireSuccess("skopeo inspect").output();
        return JSON.readTree(output).path("Digest").asString();
    }

    private static long sum(JsonNode layers) {
        long total = 0;
        for (JsonNode layer : layers) {
            total += layer.path("size").asLong();
        }
        return total;
    }

}
