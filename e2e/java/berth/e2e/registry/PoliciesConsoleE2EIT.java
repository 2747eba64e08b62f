package berth.e2e.registry;

import berth.auth.RegistryTokens;
import berth.e2e.ConsoleE2E;
import berth.e2e.Screenshots;
import berth.oci.Access;
import berth.testing.BerthApi;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Policies page's immutable-tags tab in Chromium: an ADMIN adds and removes rules, a MEMBER reads
 * them with nothing to change them; the tag list marks an immutable tag with a lock and offers no
 * checkbox to delete it, the tag's page no delete button, and the console's session sent to the REST
 * API's delete does not remove it.
 */
class PoliciesConsoleE2EIT extends ConsoleE2E {

    private static final String MEMBER = "policies-member@example.test";
    private static final String MEMBER_PASSWORD = "member-password-1";

    @Autowired
    RegistryTokens tokens;

    /** The machine runs several builds at once: a first console page can take longer than the 5 s default. */
    @BeforeAll
    static void patientAssertions() {
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    @AfterAll
    static void usualAssertions() {
        PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
    }

    @Test
    void an_admin_adds_and_removes_rules_and_a_member_reads_them_only() {
        String project = "policed";
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        api.createAccount(MEMBER, MEMBER_PASSWORD);
        api.putMember(project, MEMBER, "MEMBER");

        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/" + project));
        page.locator("#policies-link").click();
        page.waitForURL(url("/projects/" + project + "/policies"));
        // The page has a tab per kind of policy; this one need not be the first.
        page.locator("#immutable-tab").click();
        assertThat(page.locator("#immutable-rules")).containsText("No immutable-tag rules");
        assertThat(page.locator("#immutable-external-notice")).hasCount(0);

        page.locator("#immutable-tags input").fill("v*");
        page.locator("#immutable-add").click();
        assertThat(page.getByText("Rule added: ** : v*")).isVisible();
        page.locator("#immutable-repositories input").fill("team/**");
        page.locator("#immutable-tags input").fill("rc-*");
        page.locator("#immutable-add").click();
        assertThat(page.locator("#immutable-rules")).containsText("team/**");
        page.locator("#immutable-tags input").fill("release/*");
        page.locator("#immutable-add").click();
        assertThat(page.getByText("The tags glob 'release/*' is not valid")).isVisible();
        Screenshots.save(page, "policies-immutable-admin");

        page.locator("[id^='immutable-remove-']").last().click();
        assertThat(page.getByText("Rule removed: team/** : rc-*")).isVisible();
        assertThat(page.locator("[id^='immutable-remove-']:visible")).hasCount(1);
        assertThat(page.locator("#immutable-rules")).containsText("v*");
        assertThat(api.get("/api/v1/projects/" + project + "/immutable-tag-rules", ADMIN_EMAIL, ADMIN_PASSWORD).json()
                .valueStream().map(rule -> rule.path("repositories").asString() + " " + rule.path("tags").asString()))
                .containsExactly("** v*");

        Page member = anotherBrowser();
        signIn(member, MEMBER, MEMBER_PASSWORD);
        member.navigate(url("/projects/" + project));
        member.locator("#policies-link").click();
        member.locator("#immutable-tab").click();
        assertThat(member.locator("#immutable-rules")).containsText("v*");
        assertThat(member.locator("#immutable-read-only")).isVisible();
        assertThat(member.locator("#immutable-add")).hasCount(0);
        assertThat(member.locator("#immutable-tags")).hasCount(0);
        assertThat(member.locator("[id^='immutable-remove-']")).hasCount(0);
        Screenshots.save(member, "policies-immutable-member");
    }

    @Test
    void an_immutable_tag_has_a_lock_and_no_delete_control_and_survives_every_console_attempt() throws InterruptedException {
        String project = "locked-console";
        String repository = project + "/app";
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        String token = tokens.issue(ADMIN_EMAIL, List.of(Access.repository(repository, List.of("pull", "push")))).token();
        RegistryHttp registry = new RegistryHttp("http://localhost:" + port);
        registry.pushImage(repository, "v1.0", "the release", token);
        registry.pushImage(repository, "latest", "the latest build", token);
        BerthApi.Reply rule = api.post("/api/v1/projects/" + project + "/immutable-tag-rules", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("repositories", "app", "tags", "v*"));
        assertThat(rule.status()).isEqualTo(201);
        long ruleId = rule.json().path("id").asLong();

        awaitInCatalog(project, "app/tags/v1.0");
        awaitInCatalog(project, "app/tags/latest");
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/" + project + "/repositories/app"));
        assertThat(page.locator("#tags")).containsText("v1.0");
        assertThat(page.locator("#tags")).containsText("latest");
        assertThat(page.locator("#tags .berth-immutable")).hasCount(1);
        assertThat(page.locator("#tags .berth-immutable").getAttribute("title")).contains("immutable-tag rule " + ruleId)
                .contains("repositories 'app', tags 'v*'");
        assertThat(selectionBox("v1.0")).as("the immutable tag's checkbox").isIn("absent", "hidden", "disabled");
        assertThat(selectionBox("latest")).as("another tag's checkbox").isEqualTo("enabled");
        Screenshots.save(page, "policies-immutable-tag-list");
        // Where no rule covers the repository, the list still offers "select all".
        registry.pushImage(project + "/free", "v1.0", "not covered", tokens.issue(ADMIN_EMAIL,
                List.of(Access.repository(project + "/free", List.of("pull", "push")))).token());
        awaitInCatalog(project, "free/tags/v1.0");
        page.navigate(url("/projects/" + project + "/repositories/free"));
        assertThat(page.locator("#tags .vaadin-grid-select-all-checkbox")).isVisible();
        assertThat(selectionBox("v1.0")).isEqualTo("enabled");
        page.navigate(url("/projects/" + project + "/repositories/app"));
        assertThat(page.locator("#tags")).containsText("v1.0");

        page.navigate(url("/projects/" + project + "/repositories/app/tags/v1.0"));
        assertThat(page.locator("#tag-immutable")).containsText("Immutable");
        assertThat(page.locator("#delete-tag")).hasCount(0);

        // The Korean console says which rule keeps the tag in Korean, in the list's lock and on the tag's page.
        Page korean = anotherBrowser("ko-KR");
        korean.navigate(url("/login"));
        korean.locator("vaadin-login-form input[name='username']").fill(ADMIN_EMAIL);
        korean.locator("vaadin-login-form input[name='password']").fill(ADMIN_PASSWORD);
        korean.locator("vaadin-login-form input[name='password']").press("Enter");
        assertThat(korean.locator("#signed-in-as")).hasText(ADMIN_EMAIL);
        korean.navigate(url("/projects/" + project + "/repositories/app"));
        assertThat(korean.locator("#tags .berth-immutable")).hasCount(1);
        String inKorean = repository + "의 태그 v1.0은(는) 변경 불가 태그 규칙 " + ruleId + "(리포지토리 'app', 태그 'v*')에 따라 다이제스트가 "
                + "바뀌지 않고 삭제할 수 없습니다. 새 태그로 저장(Push)하거나 프로젝트 ADMIN에게 규칙 삭제를 요청하세요.";
        assertThat(korean.locator("#tags .berth-immutable").getAttribute("title")).isEqualTo(inKorean);
        korean.navigate(url("/projects/" + project + "/repositories/app/tags/v1.0"));
        assertThat(korean.locator("#tag-immutable")).hasAttribute("title", inKorean);

        // The console's own session, cookies and all, sent to the REST API's delete.
        int forged = page.request().delete(url("/api/v1/projects/" + project + "/repositories/app/tags/v1.0")).status();
        assertThat(forged).isIn(401, 403, 409);
        assertThat(api.delete("/api/v1/projects/" + project + "/repositories/app/tags/v1.0", ADMIN_EMAIL, ADMIN_PASSWORD).status())
                .isEqualTo(409);
        RegistryHttp.Reply head = registry.send("HEAD", "/v2/" + repository + "/manifests/v1.0", token, null);
        assertThat(head.status()).as("v1.0 is still in the registry").isEqualTo(200);
    }

    /** Waits until the catalog has ingested the push (the console reads the catalog); a busy machine takes seconds. */
    private void awaitInCatalog(String project, String path) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (api.get("/api/v1/projects/" + project + "/repositories/" + path, ADMIN_EMAIL, ADMIN_PASSWORD).status() != 200) {
            assertThat(System.nanoTime()).as("%s of %s in the catalog within a minute", path, project).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The state of the selection checkbox in the row of {@code tag}: absent, hidden, disabled or enabled. */
    private String selectionBox(String tag) {
        return (String) page.evaluate("""
                tag => {
                  const grid = document.querySelector('#tags');
                  const link = [...grid.querySelectorAll('a')].find(a => a.textContent === tag);
                  const slot = link.closest('vaadin-grid-cell-content').getAttribute('slot');
                  const cell = [...grid.shadowRoot.querySelectorAll('td')].find(td => td.querySelector('slot')?.name === slot);
                  const first = cell.parentElement.querySelector('td slot');
                  const content = grid.querySelector('vaadin-grid-cell-content[slot="' + first.name + '"]');
                  const box = content && content.querySelector('vaadin-checkbox');
                  if (!box) return 'absent';
                  if (box.hidden || box.offsetParent === null || getComputedStyle(box).visibility === 'hidden') return 'hidden';
                  return box.disabled ? 'disabled' : 'enabled';
                }""", tag);
    }
}
