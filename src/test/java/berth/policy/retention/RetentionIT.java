package berth.policy.retention;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.base.ForbiddenException;
import berth.catalog.ProjectTags;
import berth.catalog.TagProtection;
import berth.oci.Access;
import berth.policy.RetentionCompleted;
import berth.policy.retention.RetentionPolicy.Retain;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.MutableClock;
import berth.testing.Pause;
import berth.testing.ProjectPeople;
import berth.testing.RetentionRunsOverApi;
import berth.testing.TagPushes;
import berth.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention acceptance on the embedded engine: 3 repositories × 30 tags pushed a day apart over
 * simulated time, a third of them pulled, then each kind of rule through the REST API. The kept set
 * each case expects is worked out here from how the tags were pushed and pulled, not by the code under
 * test. A real run deletes exactly its dry run's list, through the registry, and the catalog follows.
 * A tag a {@link TagProtection} protects (as immutable-tag rules will) is never listed nor deleted.
 * With {@code untagged: remove}, the untagged manifests go too, as the dry run lists them, except those
 * an index kept references and those pushed within the GC grace.
 */
@SpringBootTest(classes = {BerthApplication.class, RetentionIT.Setup.class}, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionIT {

    private static final int PORT = FreePorts.next();
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(60)).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant NOW = T0.plus(Duration.ofDays(40));
    private static final String PROJECT = "keep";
    private static final List<String> REPOSITORIES = List.of("keep/api", "keep/web", "keep/tools/builder");
    private static final int TAGS = 30;
    private static final ProjectPeople PEOPLE = ProjectPeople.of(PROJECT);
    private static final String MEMBER = PEOPLE.member();
    private static final String OUTSIDER = PEOPLE.outsider();
    private static final String PASSWORD = ProjectPeople.PASSWORD;
    private static final String FROZEN_REPOSITORY = "keep/web";
    private static final String FROZEN_TAG = "dev-1";
    private static final int BULK_REPOSITORIES = 10;
    private static final int BULK_TAGS = 1_000;
    private static final int BULK_KEPT = 900;
    private static final String LOOSE = "loose";
    private static final String LOOSE_REPOSITORY = "loose/app";
    /** Immutable in the test's rule: its manifest stays tagged, so retention never removes it. */
    private static final String LOOSE_FROZEN_TAG = "b0";

    @TestConfiguration
    static class Setup {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(T0);
        }

        /** Stands for an immutable-tag rule: keep/web:dev-1 may not be deleted. */
        @Bean
        TagProtection frozenTag() {
            return (repository, tag) -> repository.equals(FROZEN_REPOSITORY) && tag.equals(FROZEN_TAG)
                    || repository.equals(LOOSE_REPOSITORY) && tag.equals(LOOSE_FROZEN_TAG)
                    ? Optional.of("The test's rule protects " + repository + ":" + tag + ".") : Optional.empty();
        }

        @Bean
        Completions completions() {
            return new Completions();
        }
    }

    static class Completions {
        final List<RetentionCompleted> seen = new CopyOnWriteArrayList<>();

        @EventListener
        void on(RetentionCompleted completed) {
            seen.add(completed);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-retention-it").port(PORT).catalogSyncOnlyWhenAsked();
    }

    @Autowired
    MutableClock clock;
    @Autowired
    RegistryTokens tokens;
    @Autowired
    Retention retention;
    @Autowired
    ProjectTags projectTags;
    @Autowired
    Completions completions;

    private final BerthApi api = new BerthApi(PORT);
    private final RetentionRunsOverApi runs = new RetentionRunsOverApi(api);
    private final TagPushes registry = new TagPushes("http://127.0.0.1:" + PORT);
    /** Each pushed manifest's size, by repository:tag. */
    private final Map<String, Long> manifestSizes = new HashMap<>();

    static String tagName(int i) {
        return i % 2 == 0 ? "v1." + i : "dev-" + i;
    }

    static Instant pushedAt(int i) {
        return T0.plus(Duration.ofDays(i));
    }

    /** Repository k's tags i with i % 3 == k were pulled, 8 hours apart after day 30; the others never. */
    static Optional<Instant> pulledAt(int repository, int i) {
        return i % 3 == repository ? Optional.of(T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(8L * i))) : Optional.empty();
    }

    @BeforeAll
    void pushed_over_forty_days_and_some_pulled() throws InterruptedException {
        PEOPLE.create(api);
        for (int i = 0; i < TAGS; i++) {
            moveClockTo(pushedAt(i));
            String token = token();
            for (String repository : REPOSITORIES) {
                TagPushes.Pushed pushed = registry.push(repository, tagName(i), repository + " " + i, token);
                manifestSizes.put(repository + ":" + tagName(i), pushed.size());
            }
            // The catalog reads each pushed tag with a token of its own: the clock moves a day on only once it has, or a
            // token signed before the move is expired when the registry checks it after.
            int pushed = REPOSITORIES.size() * (i + 1);
            awaitCatalog(tags -> tags.size() == pushed, pushed + " tags");
        }
        List<Instant> pulls = new ArrayList<>();
        for (int i = 0; i < TAGS; i++) {
            for (int k = 0; k < REPOSITORIES.size(); k++) {
                Optional<Instant> at = pulledAt(k, i);
                if (at.isPresent()) {
                    moveClockTo(at.get());
                    registry.pull(REPOSITORIES.get(k), tagName(i), token());
                    pulls.add(at.get());
                }
            }
        }
        awaitCatalog(tags -> tags.stream().filter(t -> t.lastPulledAt() != null).count() == pulls.size(), pulls.size() + " pulled tags");
        moveClockTo(NOW);
    }

    /** One case of the table: rules, and which tag i of repository k the test expects kept. */
    record Case(String name, List<Rule> rules, BiPredicate<Integer, Integer> kept) {
    }

    static List<Case> cases() {
        return List.of(
                new Case("the 5 most recently pushed of each repository", List.of(rule("**", "*", "", Retain.mostRecentlyPushed, 5)),
                        (k, i) -> i >= 25),
                new Case("pushed within 12 days (day 28 on)", List.of(rule("**", "*", "", Retain.pushedWithinDays, 12)),
                        (k, i) -> i >= 28),
                new Case("the 3 most recently pulled of each repository", List.of(rule("**", "*", "", Retain.mostRecentlyPulled, 3)),
                        (k, i) -> newestPulled(k, 3).contains(i)),
                new Case("pulled within 5 days", List.of(rule("**", "*", "", Retain.pulledWithinDays, 5)),
                        (k, i) -> pulledAt(k, i).filter(at -> !at.isBefore(NOW.minus(Duration.ofDays(5)))).isPresent()),
                new Case("3 newest everywhere, and always v1.1* in tools/**",
                        List.of(rule("**", "*", "", Retain.mostRecentlyPushed, 3), rule("tools/**", "v1.1*", "", Retain.always, 0)),
                        (k, i) -> i >= 27 || k == 2 && tagName(i).startsWith("v1.1")),
                new Case("* does not reach tools/builder", List.of(rule("*", "*", "", Retain.mostRecentlyPushed, 1)),
                        (k, i) -> i == 29 || k == 2),
                new Case("v* excluded: only dev tags are judged", List.of(rule("**", "*", "v*", Retain.mostRecentlyPushed, 2)),
                        (k, i) -> i % 2 == 0 || i >= 27),
                new Case("? is one character: dev-1 .. dev-9 judged", List.of(rule("**", "dev-?", "", Retain.mostRecentlyPushed, 1)),
                        (k, i) -> i >= 10 || i % 2 == 0 || i == 9));
    }

    /** The {@code n} tags of repository k pulled last, from the pull times this test chose. */
    static Set<Integer> newestPulled(int k, int n) {
        return IntStream.range(0, TAGS).boxed().filter(i -> pulledAt(k, i).isPresent())
                .sorted((a, b) -> pulledAt(k, b).orElseThrow().compareTo(pulledAt(k, a).orElseThrow()))
                .limit(n).collect(Collectors.toSet());
    }

    static Rule rule(String repositories, String include, String exclude, Retain retain, int value) {
        return new Rule(repositories, include, exclude, retain, value);
    }

    @Test
    @Order(1)
    void each_kind_of_rule_keeps_exactly_the_expected_tags_in_a_dry_run() {
        for (Case c : cases()) {
            putPolicy(c.rules());
            JsonNode run = finished(start(true));
            assertThat(run.path("state").asString()).as(c.name() + ": " + run).isEqualTo("SUCCEEDED");
            assertThat(run.path("dryRun").asBoolean()).isTrue();
            Map<String, Set<String>> deleted = deletions(run);
            Map<String, Set<String>> expectedDeleted = new LinkedHashMap<>();
            long expectedBytes = 0;
            for (int k = 0; k < REPOSITORIES.size(); k++) {
                Set<String> gone = new TreeSet<>();
                for (int i = 0; i < TAGS; i++) {
                    boolean frozen = REPOSITORIES.get(k).equals(FROZEN_REPOSITORY) && tagName(i).equals(FROZEN_TAG);
                    if (!c.kept().test(k, i) && !frozen) {
                        gone.add(tagName(i));
                        expectedBytes += manifestSizes.get(REPOSITORIES.get(k) + ":" + tagName(i));
                    }
                }
                expectedDeleted.put(REPOSITORIES.get(k), gone);
            }
            assertThat(deleted).as(c.name()).isEqualTo(expectedDeleted);
            assertThat(run.path("bytesFreeable").asLong()).as(c.name() + ": each deleted tag's own manifest; every layer stays in use")
                    .isEqualTo(expectedBytes);
        }
        assertThat(projectTags.tags(ADMIN_EMAIL, PROJECT)).as("dry runs delete nothing").hasSize(REPOSITORIES.size() * TAGS);
    }

    @Test
    @Order(2)
    void a_real_run_deletes_exactly_the_dry_runs_list_through_the_registry_and_the_catalog_follows() {
        Case c = cases().get(4);
        putPolicy(c.rules());
        JsonNode dry = finished(start(true));
        JsonNode real = finished(start(false));
        assertThat(real.path("state").asString()).as(real.toString()).isEqualTo("SUCCEEDED");
        assertThat(real.path("dryRun").asBoolean()).isFalse();
        assertThat(real.path("deletions")).as("the real run's list is the dry run's, in order, with digests and sizes")
                .isEqualTo(dry.path("deletions"));
        assertThat(real.path("deletions").size()).isGreaterThan(60);
        assertThat(real.path("startedBy").asString()).isEqualTo(ADMIN_EMAIL);
        String token = token();
        for (int k = 0; k < REPOSITORIES.size(); k++) {
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < TAGS; i++) {
                if (c.kept().test(k, i) || REPOSITORIES.get(k).equals(FROZEN_REPOSITORY) && tagName(i).equals(FROZEN_TAG)) {
                    expected.add(tagName(i));
                }
            }
            String repository = REPOSITORIES.get(k);
            assertThat(new TreeSet<>(registry.tags(repository, token))).as("the registry's tags of " + repository).isEqualTo(expected);
            Set<String> catalogued = projectTags.tags(ADMIN_EMAIL, PROJECT).stream().filter(t -> t.repository().equals(repository))
                    .map(ProjectTags.TagFacts::tag).collect(Collectors.toCollection(TreeSet::new));
            assertThat(catalogued).as("the catalog's tags of " + repository).isEqualTo(expected);
        }
        JsonNode again = finished(start(true));
        assertThat(again.path("deletions").size()).as("nothing left to delete").isZero();
        BerthApi.Reply history = api.get("/api/v1/projects/" + PROJECT + "/retention/runs", MEMBER, PASSWORD);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().path(0).path("id").asLong()).as("newest first").isEqualTo(again.path("id").asLong());
        assertThat(history.json().path(1).path("id").asLong()).isEqualTo(real.path("id").asLong());
        assertThat(completions.seen).anySatisfy(done -> {
            assertThat(done.runId()).isEqualTo(real.path("id").asLong());
            assertThat(done.dryRun()).isFalse();
            assertThat(done.tagsDeleted()).isEqualTo(real.path("deletions").size());
            assertThat(done.project()).isEqualTo(PROJECT);
        });
        BerthApi.Reply audit = api.get("/api/v1/projects/" + PROJECT + "/audit?action=POLICY_CHANGED", ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(audit.raw()).as("policy changes are audited").contains("POLICY_CHANGED", "mostRecentlyPushed");
    }

    @Test
    @Order(3)
    void a_member_reads_the_policy_and_runs_but_may_not_change_or_run_it() {
        assertThat(retention.policy(MEMBER, PROJECT)).isNotNull();
        assertThat(retention.runs(MEMBER, PROJECT)).isNotNull();
        List<Rule> rules = List.of(rule("**", "*", "", Retain.always, 0));
        assertThatThrownBy(() -> retention.setPolicy(MEMBER, PROJECT, rules, "keep", null)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> retention.start(MEMBER, PROJECT, true)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> retention.start(MEMBER, PROJECT, false)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> retention.policy(OUTSIDER, PROJECT)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> retention.runs(OUTSIDER, PROJECT)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> retention.preview(OUTSIDER, PROJECT, rules)).isInstanceOf(ForbiddenException.class);
        BerthApi.Reply put = api.put("/api/v1/projects/" + PROJECT + "/retention", MEMBER, PASSWORD, Map.of("rules", List.of()));
        assertThat(put.status()).as(put.raw()).isEqualTo(403);
        assertThat(api.post("/api/v1/projects/" + PROJECT + "/retention/runs", MEMBER, PASSWORD, Map.of("dryRun", true)).status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/retention", MEMBER, PASSWORD).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/retention", OUTSIDER, PASSWORD).status()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void a_bad_pattern_or_field_is_refused_with_a_400_naming_it() {
        Map<String, Object> good = Map.of("repositories", "**", "tagsInclude", "*", "tagsExclude", "", "retain", "always", "value", 0);
        for (Map.Entry<String, String> bad : Map.of(
                "rules[1].tagsInclude", "v[0-9]*",
                "rules[1].repositories", "",
                "rules[1].tagsExclude", "a***").entrySet()) {
            Map<String, Object> rule = new HashMap<>(good);
            rule.put(bad.getKey().substring("rules[1].".length()), bad.getValue());
            BerthApi.Reply reply = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD,
                    Map.of("rules", List.of(good, rule), "untagged", "keep"));
            assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
            assertThat(reply.text("message")).contains(bad.getKey());
        }
        BerthApi.Reply cron = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("rules", List.of(good), "schedule", "every night"));
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.text("message")).contains("schedule");
        BerthApi.Reply value = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("rules", List.of(Map.of("repositories", "**", "tagsInclude", "*", "retain", "mostRecentlyPushed", "value", 0))));
        assertThat(value.status()).isEqualTo(400);
        assertThat(value.text("message")).contains("rules[0].value");
        BerthApi.Reply saved = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("rules", List.of(good), "untagged", "keep", "schedule", "0 0 3 * * *"));
        assertThat(saved.status()).as(saved.raw()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + PROJECT + "/retention", MEMBER, PASSWORD).json().path("schedule").asString())
                .isEqualTo("0 0 3 * * *");
    }

    @Test
    @Order(5)
    void ten_thousand_tags_are_one_job_that_commits_deletion_by_deletion() throws Exception {
        String project = "bulk";
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        List<String> repositories = IntStream.range(0, BULK_REPOSITORIES).mapToObj(r -> project + "/r" + r).toList();
        String token = tokens.issue(ADMIN_EMAIL, repositories.stream().map(r -> Access.repository(r, List.of("pull", "push"))).toList())
                .token();
        registry.pushBulk(repositories, BULK_TAGS, token);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (projectTags.tags(ADMIN_EMAIL, project).size() < BULK_REPOSITORIES * BULK_TAGS) {
            assertThat(Instant.now()).as("the catalog never had the 10,000 tags").isBefore(deadline);
            Pause.millis(200);
        }
        // Every tag was pushed at the same (frozen) instant: "most recent" ties fall back to the name, so the first names stay.
        // All 10,000 tags are judged; one in ten goes (a deletion takes the one-tag path's few hundred ms on a busy build machine).
        retention.setPolicy(ADMIN_EMAIL, project, List.of(rule("**", "*", "", Retain.mostRecentlyPushed, BULK_KEPT)), "keep", null);
        int total = BULK_REPOSITORIES * BULK_TAGS;
        int doomed = BULK_REPOSITORIES * (BULK_TAGS - BULK_KEPT);
        long id = retention.start(ADMIN_EMAIL, project, false).id();
        boolean seenMidway = false;
        while (true) {
            var run = retention.run(ADMIN_EMAIL, project, id);
            int catalogued = projectTags.tags(ADMIN_EMAIL, project).size();
            if (run.state() != berth.policy.retention.RetentionRun.State.RUNNING) {
                assertThat(run.state()).as(run.toString()).isEqualTo(berth.policy.retention.RetentionRun.State.SUCCEEDED);
                assertThat(run.tagsDeleted()).isEqualTo(doomed);
                assertThat(run.tagsKept()).isEqualTo(total - doomed);
                break;
            }
            // Read on other connections while the run goes on: the deletions it made so far are committed already.
            if (catalogued < total && catalogued > total - doomed && run.tagsDeleted() > 0) {
                seenMidway = true;
            }
            Pause.millis(100);
        }
        assertThat(seenMidway).as("while the run was RUNNING, its deletions so far were visible to other transactions").isTrue();
        Set<String> expected = IntStream.range(0, BULK_KEPT).mapToObj(TagPushes::bulkTag).collect(Collectors.toCollection(TreeSet::new));
        for (String repository : repositories) {
            assertThat(new TreeSet<>(registry.tags(repository, token))).as(repository).isEqualTo(expected);
        }
        assertThat(projectTags.tags(ADMIN_EMAIL, project)).hasSize(total - doomed).allSatisfy(t -> assertThat(expected).contains(t.tag()));
    }

    private void awaitLooseTags(int count) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (projectTags.tags(ADMIN_EMAIL, LOOSE).size() < count) {
            assertThat(Instant.now()).as("the catalog never had loose's " + count + " tags").isBefore(deadline);
            Pause.millis(50);
        }
    }

    @Test
    @Order(6)
    void untagged_remove_deletes_the_dry_runs_untagged_manifests_and_spares_an_index_s_platforms_and_fresh_pushes() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, LOOSE);
        String token = looseToken();
        registry.push(LOOSE_REPOSITORY, "a", "loose a", token);
        TagPushes.Pushed b0 = registry.push(LOOSE_REPOSITORY, LOOSE_FROZEN_TAG, "loose b0", token);
        // The catalog reads each pushed tag from the registry with a token of its own, after the push: the clock moves on only
        // once it has, or that token, signed before the move, is expired when the registry checks it after.
        awaitLooseTags(2);
        moveClockTo(clock.instant().plus(Duration.ofHours(1)));
        token = looseToken();
        TagPushes.Pushed b1 = registry.push(LOOSE_REPOSITORY, "b1", "loose b1", token);
        awaitLooseTags(3);
        moveClockTo(clock.instant().plus(Duration.ofHours(1)));
        token = looseToken();
        registry.push(LOOSE_REPOSITORY, "b2", "loose b2", token);
        TagPushes.Pushed byDigest = registry.image(LOOSE_REPOSITORY, "loose by digest", token);
        registry.tag(LOOSE_REPOSITORY, byDigest.digest(), byDigest.manifest(), token);
        List<TagPushes.Pushed> platforms = new ArrayList<>();
        for (String platform : List.of("loose amd64", "loose arm64")) {
            TagPushes.Pushed image = registry.image(LOOSE_REPOSITORY, platform, token);
            registry.tag(LOOSE_REPOSITORY, image.digest(), image.manifest(), token);
            platforms.add(image);
        }
        TagPushes.Pushed index = registry.index(LOOSE_REPOSITORY, "multi", platforms, token);
        awaitLooseTags(5);
        // Past the GC grace (24 h) for all of the above; this one is pushed by digest within it, as a platform manifest whose
        // index is still to come would be.
        moveClockTo(clock.instant().plus(Duration.ofDays(2)));
        token = looseToken();
        TagPushes.Pushed fresh = registry.image(LOOSE_REPOSITORY, "loose fresh", token);
        registry.tag(LOOSE_REPOSITORY, fresh.digest(), fresh.manifest(), token);
        Map<String, Object> policy = new HashMap<>();
        policy.put("rules", List.of(Map.of("repositories", "**", "tagsInclude", "b*", "tagsExclude", "", "retain", "mostRecentlyPushed",
                "value", 1)));
        policy.put("untagged", "remove");
        policy.put("schedule", null);
        BerthApi.Reply put = api.put("/api/v1/projects/" + LOOSE + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD, policy);
        assertThat(put.status()).as(put.raw()).isEqualTo(200);

        JsonNode dry = finished(LOOSE, start(LOOSE, true));
        assertThat(dry.path("state").asString()).as(dry.toString()).isEqualTo("SUCCEEDED");
        List<String> listed = new ArrayList<>();
        Map<String, Long> untaggedSizes = new HashMap<>();
        for (JsonNode deletion : dry.path("deletions")) {
            assertThat(deletion.path("repository").asString()).isEqualTo(LOOSE_REPOSITORY);
            if (deletion.path("tag").isNull()) {
                listed.add("untagged " + deletion.path("digest").asString());
                untaggedSizes.put(deletion.path("digest").asString(), deletion.path("size").asLong());
            } else {
                listed.add(deletion.path("tag").asString() + " " + deletion.path("digest").asString());
            }
        }
        List<String> untagged = new ArrayList<>(List.of("untagged " + b1.digest(), "untagged " + byDigest.digest()));
        untagged.sort(null);
        List<String> expected = new ArrayList<>(List.of("b1 " + b1.digest()));
        expected.addAll(untagged);
        assertThat(listed).as("b1's tag, then b1's manifest it leaves untagged and the one pushed by digest, by digest; not the index's "
                + "platforms, not b0 (immutable), not the fresh push").isEqualTo(expected);
        assertThat(untaggedSizes.get(byDigest.digest())).as("manifest + config + layer")
                .isEqualTo(TagPushes.imageBytes(LOOSE_REPOSITORY, "loose by digest", byDigest));
        assertThat(dry.path("tagsDeleted").asInt()).isEqualTo(1);
        assertThat(dry.path("manifestsDeleted").asInt()).isEqualTo(2);
        assertThat(registry.manifest(LOOSE_REPOSITORY, byDigest.digest(), token).statusCode()).as("a dry run removes nothing").isEqualTo(200);

        JsonNode real = finished(LOOSE, start(LOOSE, false));
        token = looseToken();
        assertThat(real.path("state").asString()).as(real.toString()).isEqualTo("SUCCEEDED");
        assertThat(real.path("errors")).as(real.toString()).isEmpty();
        assertThat(real.path("deletions")).as("the real run deleted exactly the dry run's list").isEqualTo(dry.path("deletions"));
        for (TagPushes.Pushed gone : List.of(b1, byDigest)) {
            var reply = registry.manifest(LOOSE_REPOSITORY, gone.digest(), token);
            assertThat(reply.statusCode()).as(gone.digest() + ": " + reply.body()).isEqualTo(404);
            assertThat(reply.body()).contains("MANIFEST_UNKNOWN");
        }
        for (TagPushes.Pushed kept : List.of(platforms.get(0), platforms.get(1), index, fresh, b0)) {
            assertThat(registry.manifest(LOOSE_REPOSITORY, kept.digest(), token).statusCode()).as(kept.digest()).isEqualTo(200);
        }
        assertThat(new TreeSet<>(registry.tags(LOOSE_REPOSITORY, token))).containsExactly("a", "b0", "b2", "multi");
        Instant audited = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            String audit = api.get("/api/v1/projects/" + LOOSE + "/audit?action=DELETE_MANIFEST", ADMIN_EMAIL, ADMIN_PASSWORD).raw();
            if (audit.contains(b1.digest()) && audit.contains(byDigest.digest())) {
                break;
            }
            assertThat(Instant.now()).as("each removal reaches the audit log, as the registry's DELETE by the run's actor: " + audit)
                    .isBefore(audited);
            Pause.millis(100);
        }
        JsonNode again = finished(LOOSE, start(LOOSE, true));
        assertThat(again.path("deletions")).as("nothing left; the fresh push is still within the grace").isEmpty();
    }

    /** Tokens are judged by the moved clock: one is issued after each move. */
    private String looseToken() {
        return tokens.issue(ADMIN_EMAIL, List.of(Access.repository(LOOSE_REPOSITORY, List.of("pull", "push", "delete")))).token();
    }

    private void putPolicy(List<Rule> rules) {
        List<Map<String, Object>> body = rules.stream().map(r -> Map.<String, Object>of("repositories", r.repositories(),
                "tagsInclude", r.tagsInclude(), "tagsExclude", r.tagsExclude(), "retain", r.retain().name(), "value", r.value())).toList();
        Map<String, Object> policy = new HashMap<>();
        policy.put("rules", body);
        policy.put("untagged", "keep");
        policy.put("schedule", null);
        BerthApi.Reply reply = api.put("/api/v1/projects/" + PROJECT + "/retention", ADMIN_EMAIL, ADMIN_PASSWORD, policy);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    }

    private long start(boolean dryRun) {
        return start(PROJECT, dryRun);
    }

    private long start(String project, boolean dryRun) {
        return runs.start(project, dryRun);
    }

    private JsonNode finished(long id) {
        return finished(PROJECT, id);
    }

    private JsonNode finished(String project, long id) {
        return runs.finished(project, id);
    }

    private static Map<String, Set<String>> deletions(JsonNode run) {
        Map<String, Set<String>> byRepository = new LinkedHashMap<>();
        REPOSITORIES.forEach(r -> byRepository.put(r, new TreeSet<>()));
        for (JsonNode deletion : run.path("deletions")) {
            assertThat(deletion.path("digest").asString()).startsWith("sha256:");
            assertThat(deletion.path("size").asLong()).isPositive();
            byRepository.get(deletion.path("repository").asString()).add(deletion.path("tag").asString());
        }
        return byRepository;
    }

    private void awaitCatalog(java.util.function.Predicate<List<ProjectTags.TagFacts>> done, String what) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (!done.test(projectTags.tags(ADMIN_EMAIL, PROJECT))) {
            assertThat(Instant.now()).as("the catalog never showed " + what).isBefore(deadline);
            Pause.millis(50);
        }
    }

    private void moveClockTo(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
    }

    private String token() {
        List<Access> access = REPOSITORIES.stream().map(r -> Access.repository(r, List.of("pull", "push", "delete"))).toList();
        return tokens.issue(ADMIN_EMAIL, access).token();
    }
}
