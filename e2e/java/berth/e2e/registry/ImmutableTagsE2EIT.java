package berth.e2e.registry;

import berth.base.ConflictException;
import berth.catalog.TagDeletion;
import berth.e2e.Dockerd;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Immutable tags (issue 20) with real clients against the embedded registry: with a rule
 * {@code **} + {@code v*}, pushing another image to {@code v1.0} is refused by skopeo and by the Docker
 * CLI, each printing the rule; pushing the same image again succeeds; deleting {@code v1.0} is
 * refused by the REST API (409), the registry ({@code DENIED}, by tag and by the digest under it) and
 * the console's server-side path - and once the rule is removed the same deletion goes through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImmutableTagsE2EIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "immutable";
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");

    @Autowired
    TagDeletion deletion;

    private Path work;
    private String adminKey;
    private Image first;
    private Image second;
    private long ruleId;
    private Dockerd dockerd;

    @BeforeAll
    void projectImagesAndRule() throws Exception {
        work = imageDirectory("immutable");
        adminKey = adminAppkey(PROJECT);
        first = TestImages.withFiles(work, "first", Map.of("release.txt", "the release everyone deployed\n"));
        second = TestImages.withFiles(work, "second", Map.of("release.txt", "an accident\n"));
        BerthApi.Reply rule = api.post("/api/v1/projects/" + PROJECT + "/immutable-tag-rules", ADMIN, ADMIN_PASSWORD,
                Map.of("repositories", "**", "tags", "v*"));
        assertThat(rule.status()).as(rule.raw()).isEqualTo(201);
        assertThat(rule.text("repositories")).isEqualTo("**");
        assertThat(rule.text("tags")).isEqualTo("v*");
        ruleId = rule.json().path("id").asLong();
        assertThat(ruleId).isPositive();
    }

    @AfterAll
    void stopEngine() {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    @Test
    void skopeo_cannot_move_an_immutable_tag_but_pushes_the_same_image_again() {
        push(first, "app:v1.0").requireSuccess("skopeo push of the first image to the new tag v1.0");
        String published = digestOf("app", "v1.0");
        assertThat(published).isEqualTo(TestImages.manifestDigest(first.layout(), first.tag()));

        Tools.Result refused = push(second, "app:v1.0");
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("denied").contains("immutable-tag rule " + ruleId)
                .contains("repositories '**', tags 'v*'");
        assertThat(digestOf("app", "v1.0")).as("the tag still names the first image").isEqualTo(published);
        JsonNode pushes = api.get("/api/v1/projects/" + PROJECT + "/audit?action=PUSH&repository=" + PROJECT + "/app", ADMIN,
                ADMIN_PASSWORD).json().path("items");
        assertThat(pushes.valueStream().filter(r -> "DENIED".equals(r.path("outcome").asString())
                && "registry".equals(r.path("via").asString()) && "v1.0".equals(r.path("tag").asString())
                && ADMIN.equals(r.path("actor").asString()) && r.path("detail").asString().contains("immutable-tag rule " + ruleId)).count())
                .as("the refused push of v1.0 in the audit log, by the account that tried: " + pushes).isEqualTo(1);

        push(first, "app:v1.0").requireSuccess("skopeo push of the same image to v1.0 again");
        assertThat(digestOf("app", "v1.0")).isEqualTo(published);
        // A tag no rule covers moves as always.
        push(first, "app:latest").requireSuccess("skopeo push to latest");
        push(second, "app:latest").requireSuccess("skopeo push of another image to latest");
        assertThat(digestOf("app", "latest")).isEqualTo(TestImages.manifestDigest(second.layout(), second.tag()));
    }

    @Test
    void the_docker_cli_cannot_move_an_immutable_tag_but_pushes_the_same_image_again() throws Exception {
        dockerd = Dockerd.start();
        String login = dockerd.dockerWithInput(adminKey, "login", "--username", ADMIN, "--password-stdin", address())
                .requireSuccess("docker login").output();
        assertThat(login).contains("Login Succeeded");
        String reference = address() + "/" + PROJECT + "/docker-app:v1.0";
        // Docker writes its own manifest for what it loaded, so the digest is the one its first push prints.
        dockerd.load(first, reference);
        String pushed = dockerd.docker("push", reference).requireSuccess("docker push to the new tag v1.0").output();
        Matcher digest = PUSHED_DIGEST.matcher(pushed);
        assertThat(digest.find()).as("docker push prints the digest:\n%s", pushed).isTrue();
        assertThat(digestOf("docker-app", "v1.0")).isEqualTo(digest.group(1));

        String again = dockerd.docker("push", reference).requireSuccess("docker push of the same image to v1.0 again").output();
        assertThat(again).contains("digest: " + digest.group(1));

        dockerd.load(second, reference);
        Tools.Result refused = dockerd.docker("push", reference);
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("denied").contains("immutable-tag rule " + ruleId)
                .contains("repositories '**', tags 'v*'");
        assertThat(digestOf("docker-app", "v1.0")).as("the tag still names the first image").isEqualTo(digest.group(1));
    }

    @Test
    void deleting_an_immutable_tag_is_refused_by_the_api_the_registry_and_the_console_until_the_rule_is_removed() {
        String project = "immutable-delete";
        String key = adminAppkey(project);
        BerthApi.Reply rule = api.post("/api/v1/projects/" + project + "/immutable-tag-rules", ADMIN, ADMIN_PASSWORD,
                Map.of("repositories", "team/**", "tags", "v1.?"));
        assertThat(rule.status()).as(rule.raw()).isEqualTo(201);
        long id = rule.json().path("id").asLong();
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + key, first.oci(),
                "docker://" + address() + "/" + project + "/team/app:v1.0")).requireSuccess("skopeo push");
        String repository = project + "/team/app";
        String digest = digestOf(repository, "v1.0", project);

        BerthApi.Reply api409 = api.delete("/api/v1/projects/" + project + "/repositories/team/app/tags/v1.0", ADMIN, ADMIN_PASSWORD);
        assertThat(api409.status()).as(api409.raw()).isEqualTo(409);
        assertThat(api409.text("message")).contains("immutable-tag rule " + id);
        BerthApi.Reply wholeRepository = api.delete("/api/v1/projects/" + project + "/repositories/team/app", ADMIN, ADMIN_PASSWORD);
        assertThat(wholeRepository.status()).as("deleting the repository would delete the tag: " + wholeRepository.raw()).isEqualTo(409);

        RegistryHttp registry = new RegistryHttp(baseUrl());
        String token = token(repository, "pull", "push", "delete");
        for (String reference : new String[] {"v1.0", digest}) {
            RegistryHttp.Reply denied = registry.send("DELETE", "/v2/" + repository + "/manifests/" + reference, token, null);
            assertThat(denied.status()).as(denied.text()).isEqualTo(403);
            assertThat(denied.errorCode()).isEqualTo("DENIED");
            assertThat(denied.errorMessage()).contains("immutable-tag rule " + id).contains("Tag v1.0 of " + repository);
        }

        // What the console's delete button runs, called directly as a forged request would reach it.
        assertThatThrownBy(() -> deletion.deleteTag(ADMIN, new berth.oci.RepositoryName(repository), "v1.0"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("immutable-tag rule " + id);
        assertThat(deletion.protection(ADMIN, new berth.oci.RepositoryName(repository), "v1.0")).get().asString().contains("immutable-tag rule " + id);
        assertThat(digestOf(repository, "v1.0", project)).as("v1.0 survived every attempt").isEqualTo(digest);
        JsonNode refusals = api.get("/api/v1/projects/" + project + "/audit?action=DELETE_TAG&repository=" + repository, ADMIN, ADMIN_PASSWORD)
                .json().path("items");
        for (String via : new String[] {"api", "console", "registry"}) {
            assertThat(refusals.valueStream().filter(r -> "DENIED".equals(r.path("outcome").asString()) && via.equals(r.path("via").asString())
                    && "v1.0".equals(r.path("tag").asString()) && r.path("detail").asString().contains("immutable-tag rule " + id)).count())
                    .as("the refused delete of v1.0 through the " + via + " in the audit log: " + refusals).isEqualTo(1);
        }
        JsonNode byDigest = api.get("/api/v1/projects/" + project + "/audit?action=DELETE_MANIFEST&repository=" + repository, ADMIN,
                ADMIN_PASSWORD).json().path("items");
        assertThat(byDigest.valueStream().filter(r -> "DENIED".equals(r.path("outcome").asString())
                && digest.equals(r.path("digest").asString()) && "v1.0".equals(r.path("tag").asString())).count())
                .as("the registry's refused delete of the manifest under v1.0 in the audit log: " + byDigest).isEqualTo(1);

        assertThat(api.delete("/api/v1/projects/" + project + "/immutable-tag-rules/" + id, ADMIN, ADMIN_PASSWORD).status()).isEqualTo(204);
        assertThat(deletion.protection(ADMIN, new berth.oci.RepositoryName(repository), "v1.0")).isEmpty();
        BerthApi.Reply deleted = api.delete("/api/v1/projects/" + project + "/repositories/team/app/tags/v1.0", ADMIN, ADMIN_PASSWORD);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
        RegistryHttp.Reply gone = registry.send("HEAD", "/v2/" + repository + "/manifests/v1.0", token, null);
        assertThat(gone.status()).isEqualTo(404);
    }

    private Tools.Result push(Image source, String reference) {
        return Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + adminKey,
                source.oci(), "docker://" + address() + "/" + PROJECT + "/" + reference));
    }

    private String digestOf(String repository, String tag) {
        return digestOf(PROJECT + "/" + repository, tag, PROJECT);
    }

    private String digestOf(String repository, String tag, String project) {
        RegistryHttp.Reply reply = new RegistryHttp(baseUrl()).send("HEAD", "/v2/" + repository + "/manifests/" + tag,
                token(repository, "pull"), null, "Accept", RegistryHttp.ACCEPT_ALL);
        assertThat(reply.status()).as("HEAD %s:%s in %s", repository, tag, project).isEqualTo(200);
        return reply.header("Docker-Content-Digest");
    }
}
