package berth.policy;

import berth.auth.Accounts;
import berth.auth.Projects;
import berth.base.ConflictException;
import berth.base.ForbiddenException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.policy.ImmutableTagRules.Rule;
import berth.policy.ImmutableTagRules.RuleSpec;
import berth.testing.BerthApi;
import berth.testing.InProcessBerth;
import berth.testing.ProjectPeople;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Immutable-tag rules in process: the service refuses by itself (a MEMBER reads but cannot add or
 * remove, an outsider cannot even read), called directly with nothing in front; the REST contract
 * ({@code {id, repositories, tags}}, 400 naming the field of an invalid glob, 403, 404, 409); which tags
 * a rule covers; and each change in the project's audit log as {@code POLICY_CHANGED}.
 */
@InProcessBerth(data = "berth-immutable-rules")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImmutableTagRulesIT {

    private static final ProjectPeople PEOPLE = ProjectPeople.of("locked");
    private static final String PROJECT = PEOPLE.project();
    private static final String PASSWORD = ProjectPeople.PASSWORD;

    @Autowired
    Accounts accounts;
    @Autowired
    Projects projects;
    @Autowired
    ImmutableTagRules rules;
    @LocalServerPort
    int port;

    private BerthApi api;

    @BeforeAll
    void people() {
        api = new BerthApi(port);
        PEOPLE.create(accounts, projects);
        projects.create(ADMIN_EMAIL, "elsewhere");
    }

    @Test
    void a_member_reads_the_rules_but_the_service_refuses_its_changes_and_an_outsider_sees_nothing() {
        Rule rule = rules.add(PEOPLE.owner(), PROJECT, new RuleSpec("member-test/**", "v*"));

        assertThat(rules.list(PEOPLE.member(), PROJECT)).contains(rule);
        assertThatThrownBy(() -> rules.add(PEOPLE.member(), PROJECT, new RuleSpec("**", "member-attempt")))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("ADMIN");
        assertThatThrownBy(() -> rules.remove(PEOPLE.member(), PROJECT, rule.id())).isInstanceOf(ForbiddenException.class);
        assertThat(rules.list(PEOPLE.owner(), PROJECT)).as("the member's attempts changed nothing").contains(rule)
                .noneMatch(r -> r.tags().equals("member-attempt"));

        assertThatThrownBy(() -> rules.list(PEOPLE.outsider(), PROJECT)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rules.get(PEOPLE.outsider(), PROJECT, rule.id())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rules.remove(PEOPLE.outsider(), PROJECT, rule.id())).isInstanceOf(ForbiddenException.class);
        // A rule of one project is not reachable through another the caller administers.
        assertThatThrownBy(() -> rules.remove(ADMIN_EMAIL, "elsewhere", rule.id())).isInstanceOf(NotFoundException.class);

        rules.remove(PEOPLE.owner(), PROJECT, rule.id());
        assertThat(rules.list(PEOPLE.member(), PROJECT)).doesNotContain(rule);
    }

    @Test
    void a_rule_covers_the_tags_its_globs_match_within_its_project_only() {
        Rule rule = rules.add(PEOPLE.owner(), PROJECT, new RuleSpec("team/**", "release-?.*"));
        assertThat(rules.protecting(PROJECT + "/team/api", "release-1.2")).contains(rule);
        assertThat(rules.protecting(PROJECT + "/team/api/worker", "release-1.0")).contains(rule);
        assertThat(rules.protecting(PROJECT + "/team/api", "release-12")).isEmpty();
        assertThat(rules.protecting(PROJECT + "/other/api", "release-1.2")).isEmpty();
        assertThat(rules.protecting("elsewhere/team/api", "release-1.2")).as("another project's repository").isEmpty();
        assertThat(rules.refusal(PROJECT + "/team/api", "release-1.2")).get().asString()
                .contains("Tag release-1.2 of locked/team/api").contains("immutable-tag rule " + rule.id())
                .contains("repositories 'team/**', tags 'release-?.*'");
        assertThatThrownBy(() -> rules.add(PEOPLE.owner(), PROJECT, new RuleSpec("team/**", "release-?.*")))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> rules.add(PEOPLE.owner(), PROJECT, new RuleSpec(null, null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tags");
        assertThat(rules.add(PEOPLE.owner(), PROJECT, new RuleSpec(null, "stable")).repositories()).as("all repositories by default").isEqualTo("**");
    }

    @Test
    void the_rest_api_lists_adds_reads_and_removes_rules_and_refuses_bad_globs_naming_the_field() {
        String base = "/api/v1/projects/" + PROJECT + "/immutable-tag-rules";
        BerthApi.Reply added = api.post(base, PEOPLE.owner(), PASSWORD, Map.of("repositories", "api/**", "tags", "v*"));
        assertThat(added.status()).as(added.raw()).isEqualTo(201);
        long id = added.json().path("id").asLong();
        assertThat(added.json().propertyNames()).containsExactlyInAnyOrder("id", "repositories", "tags");
        assertThat(added.text("repositories")).isEqualTo("api/**");

        BerthApi.Reply one = api.get(base + "/" + id, PEOPLE.member(), PASSWORD);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.text("tags")).isEqualTo("v*");
        BerthApi.Reply listed = api.get(base, PEOPLE.member(), PASSWORD);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().valueStream().map(r -> r.path("id").asLong())).contains(id);

        BerthApi.Reply badTags = api.post(base, PEOPLE.owner(), PASSWORD, Map.of("repositories", "**", "tags", "release/*"));
        assertThat(badTags.status()).isEqualTo(400);
        assertThat(badTags.text("error")).isEqualTo("invalid_request");
        assertThat(badTags.text("message")).contains("tags glob 'release/*'");
        BerthApi.Reply badRepositories = api.post(base, PEOPLE.owner(), PASSWORD, Map.of("repositories", "Team/***", "tags", "v*"));
        assertThat(badRepositories.status()).isEqualTo(400);
        assertThat(badRepositories.text("message")).contains("repositories glob");
        assertThat(api.post(base, PEOPLE.owner(), PASSWORD, Map.of("repositories", "api/**", "tags", "v*")).status()).isEqualTo(409);

        BerthApi.Reply memberAdds = api.post(base, PEOPLE.member(), PASSWORD, Map.of("repositories", "**", "tags", "x*"));
        assertThat(memberAdds.status()).isEqualTo(403);
        assertThat(memberAdds.text("error")).isEqualTo("forbidden");
        assertThat(api.delete(base + "/" + id, PEOPLE.member(), PASSWORD).status()).isEqualTo(403);
        assertThat(api.get(base, PEOPLE.outsider(), PASSWORD).status()).isEqualTo(403);

        assertThat(api.delete(base + "/" + id, PEOPLE.owner(), PASSWORD).status()).isEqualTo(204);
        assertThat(api.get(base + "/" + id, PEOPLE.owner(), PASSWORD).status()).isEqualTo(404);
        assertThat(api.delete(base + "/" + id, PEOPLE.owner(), PASSWORD).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/projects/no-such-project/immutable-tag-rules", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("tags", "v*")).status()).isEqualTo(404);
    }

    @Test
    void each_change_is_in_the_projects_audit_log_as_policy_changed() {
        Rule rule = rules.add(PEOPLE.owner(), PROJECT, new RuleSpec("audited/**", "v*"));
        rules.remove(PEOPLE.owner(), PROJECT, rule.id());
        BerthApi.Reply audit = api.get("/api/v1/projects/" + PROJECT + "/audit?action=POLICY_CHANGED", PEOPLE.owner(), PASSWORD);
        assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
        assertThat(audit.json().path("items").valueStream()
                .filter(e -> e.path("action").asString().equals("POLICY_CHANGED") && e.path("actor").asString().equals(PEOPLE.owner()))
                .map(e -> e.path("detail").asString()))
                .contains("immutable-tag rule " + rule.id() + " (repositories 'audited/**', tags 'v*') added",
                        "immutable-tag rule " + rule.id() + " (repositories 'audited/**', tags 'v*') removed");
    }
}
