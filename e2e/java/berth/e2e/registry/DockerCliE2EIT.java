package berth.e2e.registry;

import berth.e2e.Dockerd;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product guide with the real Docker CLI and containerd's {@code ctr} (the resolver Kubernetes
 * nodes use) against Berth's registry: log in at the registry address with email and Appkey, tag,
 * push, pull by tag and by digest; a MEMBER's push refused, the CLI saying so.
 * The engine is a private {@link Dockerd}; the test image is made with umoci, since there is no Docker Hub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerCliE2EIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "docker-cli";
    private static final String MEMBER = "docker-member@example.test";
    private static final String MEMBER_PASSWORD = "member-password";
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");

    private Dockerd dockerd;
    private String adminKey;
    private String memberKey;
    private Image image;

    @BeforeAll
    void engineProjectAndImage() throws Exception {
        TestImages.requireTools();
        adminKey = adminAppkey(PROJECT);
        api.createAccount(MEMBER, MEMBER_PASSWORD);
        api.putMember(PROJECT, MEMBER, "MEMBER");
        memberKey = api.appkey(MEMBER, MEMBER_PASSWORD, PROJECT);
        Path work = Files.createDirectories(WORK.resolve("docker-cli"));
        image = TestImages.withFiles(work, "1.0", Map.of("etc/os-release", "NAME=berth-test\n", "hello.txt", "hello from docker\n"));
        dockerd = Dockerd.start();
        dockerd.load(image, "hello:1.0");
    }

    @AfterAll
    void stopEngine() {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    @Test
    void docker_logs_in_with_email_and_appkey_pushes_and_pulls_by_tag_and_by_digest() {
        login(ADMIN, adminKey);
        String reference = address() + "/" + PROJECT + "/hello:1.0";
        dockerd.docker("tag", "hello:1.0", reference).requireSuccess("docker tag");
        String pushed = dockerd.docker("push", reference).requireSuccess("docker push").output();
        Matcher digest = PUSHED_DIGEST.matcher(pushed);
        assertThat(digest.find()).as("docker push prints the digest:\n%s", pushed).isTrue();
        // The registry's own answer for the tag is the digest the CLI printed.
        assertThat(RegistryHttp.sha256(manifestOf("hello", "1.0"))).isEqualTo(digest.group(1));

        // Pull into an engine that no longer has the image: by tag, then by digest.
        dockerd.docker("rmi", reference, "hello:1.0").requireSuccess("docker rmi");
        String byTag = dockerd.docker("pull", reference).requireSuccess("docker pull by tag").output();
        assertThat(byTag).contains("Digest: " + digest.group(1)).contains("Downloaded newer image for " + reference);
        String byDigest = address() + "/" + PROJECT + "/hello@" + digest.group(1);
        dockerd.docker("rmi", reference).requireSuccess("docker rmi after the pull by tag");
        dockerd.docker("pull", byDigest).requireSuccess("docker pull by digest");
        assertThat(dockerd.docker("image", "inspect", "--format", "{{join .RepoDigests \",\"}}", byDigest)
                .requireSuccess("docker image inspect").output()).contains(byDigest);
        // What Docker unpacked holds the file umoci put in (docker cp writes it as a tar to stdout).
        String container = dockerd.docker("create", byDigest, "unused").requireSuccess("docker create").output().strip();
        assertThat(dockerd.docker("cp", container + ":/hello.txt", "-").requireSuccess("docker cp").output()).contains("hello from docker");
        dockerd.docker("rm", container).requireSuccess("docker rm");
    }

    @Test
    void a_members_push_is_refused_with_the_clis_denied_message() {
        login(MEMBER, memberKey);
        String reference = address() + "/" + PROJECT + "/member-image:mine";
        // Loaded anew: the other test removes hello:1.0 to prove its pulls.
        dockerd.load(image, reference);
        Tools.Result refused = dockerd.docker("push", reference);
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        // Berth answers 401 insufficient_scope naming the push it refuses; the engine reports that as the
        // sentence Docker users know from any registry.
        assertThat(refused.output()).contains("denied: requested access to the resource is denied");
        assertThat(STORAGE_ROOT.resolve("docker/registry/v2/repositories/" + PROJECT + "/member-image/_manifests")).doesNotExist();
    }

    @Test
    void ctr_pushes_and_pulls_over_plain_http_with_email_and_appkey() {
        String reference = address() + "/" + PROJECT + "/hello-ctr:1.0";
        Path archive = WORK.resolve("docker-cli/hello-ctr.tar");
        Tools.run(Tools.skopeo("copy", image.oci(), "oci-archive:" + archive + ":" + reference)).requireSuccess("skopeo oci-archive");
        dockerd.ctr("images", "import", archive.toString()).requireSuccess("ctr images import");
        String pushed = dockerd.ctr("images", "push", "--plain-http", "--user", ADMIN + ":" + adminKey, reference, reference)
                .requireSuccess("ctr images push").output();
        assertThat(pushed).doesNotContainIgnoringCase("error");
        String digest = RegistryHttp.sha256(manifestOf("hello-ctr", "1.0"));
        assertThat(digest).isEqualTo(TestImages.manifestDigest(image.layout(), image.tag()));

        dockerd.ctr("images", "rm", "--sync", reference).requireSuccess("ctr images rm");
        dockerd.ctr("content", "prune", "references").requireSuccess("ctr content prune");
        dockerd.ctr("images", "pull", "--plain-http", "--user", MEMBER + ":" + memberKey, reference)
                .requireSuccess("ctr images pull as the member");
        String listed = dockerd.ctr("images", "ls", "name==" + reference).requireSuccess("ctr images ls").output();
        assertThat(listed).contains(reference).contains(digest);
    }

    private void login(String user, String appkey) {
        String output = dockerd.dockerWithInput(appkey, "login", "--username", user, "--password-stdin", address())
                .requireSuccess("docker login as " + user).output();
        assertThat(output).contains("Login Succeeded");
    }

    private byte[] manifestOf(String repository, String tag) {
        RegistryHttp.Reply reply = new RegistryHttp(baseUrl()).get("/v2/" + PROJECT + "/" + repository + "/manifests/" + tag,
                token(PROJECT + "/" + repository, "pull"), "Accept", RegistryHttp.ACCEPT_ALL);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.body();
    }
}
