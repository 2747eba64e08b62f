package berth.e2e.policy;

import berth.auth.RegistryTokens;
import berth.catalog.ProjectTags;
import berth.e2e.ConsoleE2E;
import berth.e2e.Screenshots;
import berth.oci.Access;
import berth.testing.TagPushes;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The Retention tab of a project's Policies page in Chromium: an ADMIN adds a rule and sees its live
 * preview change with the number, a dry run lists what a run would delete and deletes nothing, "Run
 * now" deletes exactly that; a MEMBER sees the rules and the history but no control that changes them.
 */
class RetentionConsoleE2EIT extends ConsoleE2E {

    private static final String PROJECT = "polcon";
    private static final String REPOSITORY = PROJECT + "/app";

    @Autowired
    RegistryTokens tokens;
    @Autowired
    ProjectTags projectTags;

    @Test
    void an_admin_previews_dry_runs_and_runs_retention_and_a_member_only_reads_it() throws InterruptedException {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        api.createAccount("polcon-member@example.test", "member-password-123");
        api.putMember(PROJECT, "polcon-member@example.test", "MEMBER");
        TagPushes registry = new TagPushes("http://127.0.0.1:" + port);
        String token = tokens.issue(ADMIN_EMAIL, List.of(Access.repository(REPOSITORY, List.of("pull", "push")))).token();
        for (int i = 0; i < 10; i++) {
            registry.push(REPOSITORY, "t" + i, "image " + i, token);
            Thread.sleep(5);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (projectTags.tags(ADMIN_EMAIL, PROJECT).size() < 10) {
            org.assertj.core.api.Assertions.assertThat(Instant.now()).as("the catalog never had the 10 tags").isBefore(deadline);
            Thread.sleep(50);
        }

        // A fresh dev-mode Berth on a busy build machine answers its first pages slowly.
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        page.setDefaultTimeout(60_000);
        page.navigate(url("/login"));
        assertThat(page.getByLabel("Email")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(180_000));
        signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        page.navigate(url("/projects/" + PROJECT));
        page.locator("#policies-link").click();
        assertThat(page.locator("#retention-tab")).isVisible();
        assertThat(page.locator("#retention-preview")).containsText("No rules");
        page.locator("#retention-add-rule").click();
        assertThat(page.locator(".retention-rule .rule-preview")).hasText("This rule would keep 10 and delete 0 tags in 1 repositories.");
        page.locator(".retention-rule .rule-value input").fill("3");
        page.locator(".retention-rule .rule-value input").press("Tab");
        assertThat(page.locator(".retention-rule .rule-preview")).hasText("This rule would keep 3 and delete 7 tags in 1 repositories.");
        assertThat(page.locator("#retention-preview")).hasText("The policy would keep 3 and delete 7 tags in 1 repositories.");

        page.locator("#retention-dry-run").click();
        assertThat(page.locator("#retention-deletions-title")).containsText("a real run would delete these 7 tags");
        for (int i = 0; i < 7; i++) {
            assertThat(page.locator("#retention-deletions")).containsText("t" + i);
        }
        Screenshots.save(page, "retention-dry-run");
        org.assertj.core.api.Assertions.assertThat(registry.tags(REPOSITORY, token)).as("a dry run deletes nothing").hasSize(10);

        page.locator("#retention-run").click();
        assertThat(page.locator("vaadin-button[slot='confirm-button']")).hasText("Run now");
        page.locator("vaadin-button[slot='confirm-button']").click();
        assertThat(page.locator("#retention-deletions-title")).containsText("deleted these 7 tags",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        org.assertj.core.api.Assertions.assertThat(new TreeSet<>(registry.tags(REPOSITORY, token))).containsExactly("t7", "t8", "t9");
        assertThat(page.locator("#retention-runs")).containsText("Succeeded (dry run)");
        assertThat(page.locator("#retention-runs")).containsText(ADMIN_EMAIL);

        Page member = anotherBrowser();
        signIn(member, "polcon-member@example.test", "member-password-123");
        member.navigate(url("/projects/" + PROJECT + "/policies"));
        assertThat(member.locator("#retention-tab")).isVisible();
        assertThat(member.locator(".retention-rule .rule-repositories")).hasAttribute("readonly", "");
        assertThat(member.locator("#retention-run")).isHidden();
        assertThat(member.locator("#retention-save")).isHidden();
        assertThat(member.locator("#retention-dry-run")).isHidden();
        assertThat(member.locator("#retention-add-rule")).isHidden();
        assertThat(member.locator("#retention-runs")).containsText("Succeeded");
        Screenshots.save(member, "retention-member");
    }

    @org.junit.jupiter.api.AfterEach
    void usualAssertionTimeout() {
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
    }
}
