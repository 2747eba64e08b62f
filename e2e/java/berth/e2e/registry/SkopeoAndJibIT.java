package berth.e2e.registry;

import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import com.google.cloud.tools.jib.api.JibContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product guide with real clients: skopeo and Jib log in to the embedded registry with
 * account email and Appkey, push, and pull back exactly what they pushed; a MEMBER may pull but
 * not push.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkopeoAndJibIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "guide";
    private static final String MEMBER = "guide-member@example.test";
    private static final String MEMBER_PASSWORD = "member-password";

    private Path work;
    private String adminKey;
    private String memberKey;
    private Image image;

    @BeforeAll
    void projectWithAnAdminAndAMember() throws Exception {
        work = imageDirectory("skopeo");
        adminKey = adminAppkey(PROJECT);
        api.createAccount(MEMBER, MEMBER_PASSWORD);
        api.putMember(PROJECT, MEMBER, "MEMBER");
        memberKey = api.appkey(MEMBER, MEMBER_PASSWORD, PROJECT);
        image = TestImages.withFiles(work, "18.04", Map.of("etc/os-release", "NAME=berth-test\n", "hello.txt", "hello from the guide\n"));
    }

    @Test
    void skopeo_pushes_with_email_and_appkey_and_pulls_back_byte_identical_content() {
        pushedAndPulledBack(ADMIN, adminKey, "ubuntu:18.04", "pulled-admin");

        Tools.Result inspect = Tools.run(Tools.skopeo("inspect", "--raw", "--tls-verify=false", "--creds", ADMIN + ":" + adminKey,
                "docker://" + address() + "/" + PROJECT + "/ubuntu:18.04"));
        assertThat(RegistryHttp.sha256(inspect.output().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(TestImages.manifestDigest(image.layout(), image.tag()));
    }

    @Test
    void a_member_pulls_but_its_push_is_refused() {
        pushedAndPulledBack(MEMBER, memberKey, "ubuntu:member-test", "pulled-member");

        Image own = TestImages.withFiles(work, "mine", Map.of("member.txt", "the member's own image\n"));
        Tools.Result refused = push(MEMBER, memberKey, own, "member-image:mine");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output().toLowerCase()).containsAnyOf("unauthorized", "denied", "authentication required");
        assertThat(STORAGE_ROOT.resolve("docker/registry/v2/repositories/" + PROJECT + "/member-image/_manifests")).doesNotExist();
    }

    @Test
    void jib_pushes_with_email_and_appkey_and_skopeo_pulls_it() throws Exception {
        Path file = Files.writeString(work.resolve("jib-hello.txt"), "hello from jib\n");
        JibContainer container = TestImages.pushWithJib(file, address() + "/" + PROJECT + "/jib:1.0", ADMIN, adminKey);

        // dir: keeps the Docker manifest Jib pushed as it is (oci: would convert it).
        Path pulled = work.resolve("pulled-jib");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", MEMBER + ":" + memberKey,
                "docker://" + address() + "/" + PROJECT + "/jib:1.0", "dir:" + pulled)).requireSuccess("skopeo pull of the Jib image");
        assertThat(TestImages.sha256(pulled.resolve("manifest.json"))).isEqualTo(container.getDigest().toString());
        tools.jackson.databind.JsonNode manifest = RegistryHttp.JSON.readTree(pulled.resolve("manifest.json").toFile());
        List<String> blobs = new java.util.ArrayList<>(List.of(manifest.path("config").path("digest").asString()));
        manifest.path("layers").forEach(layer -> blobs.add(layer.path("digest").asString()));
        for (String digest : blobs) {
            assertThat(TestImages.sha256(pulled.resolve(digest.substring("sha256:".length())))).isEqualTo(digest);
        }
    }

    /** The ADMIN pushes the image as {@code reference}; {@code user} pulls it into {@code into} and gets exactly its content. */
    private void pushedAndPulledBack(String user, String key, String reference, String into) {
        push(ADMIN, adminKey, image, reference).requireSuccess("skopeo push as admin");
        Path pulled = work.resolve(into);
        pull(user, key, reference, pulled).requireSuccess("skopeo pull as " + user);
        assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(image.layout(), image.tag()));
    }

    private Tools.Result push(String user, String key, Image source, String reference) {
        return Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + key,
                source.oci(), "docker://" + address() + "/" + PROJECT + "/" + reference));
    }

    private Tools.Result pull(String user, String key, String reference, Path into) {
        return Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", user + ":" + key,
                "docker://" + address() + "/" + PROJECT + "/" + reference, "oci:" + into + ":pulled"));
    }
}
