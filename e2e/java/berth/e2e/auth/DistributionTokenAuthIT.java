package berth.e2e.auth;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.e2e.DistributionRegistry;
import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import com.google.cloud.tools.jib.api.JibContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product guide's docker login, proven with real parts: CNCF Distribution 2.8.2 trusts Berth's
 * token service, skopeo and Jib log in with account email and Appkey.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionTokenAuthIT {

    private static final Path WORK = ScratchDirectories.create("berth-distribution-it");
    private static final int REGISTRY_PORT = FreePorts.next();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).data(WORK.resolve("berth"))
                .set("berth.registry.mode", "external")
                .set("berth.registry.public-url", "http://127.0.0.1:" + REGISTRY_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    RegistryTokens tokens;

    private DistributionRegistry registry;
    private BerthApi api;
    private TestImages.Image image;
    private String adminKey;
    private String memberKey;

    private static final String PROJECT = "guide";
    private static final String MEMBER = "member@example.test";
    private static final String OUTSIDER = "outsider@example.test";

    @BeforeAll
    void start() throws IOException {
        TestImages.requireTools();
        Path certificate = Files.writeString(WORK.resolve("berth-token.crt"), tokens.certificatePem());
        registry = DistributionRegistry.start(REGISTRY_PORT, WORK.resolve("distribution"), """
                auth:
                  token:
                    realm: http://127.0.0.1:%d/auth/token
                    service: %s
                    issuer: berth
                    rootcertbundle: %s
                storage:
                  delete:
                    enabled: true
                """.formatted(port, tokens.service(), certificate));
        api = new BerthApi(port);
        api.createAccount(MEMBER, "member-password");
        api.createAccount(OUTSIDER, "outsider-password");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        api.putMember(PROJECT, MEMBER, "MEMBER");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "elsewhere");
        api.putMember("elsewhere", OUTSIDER, "ADMIN");
        adminKey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        memberKey = api.appkey(MEMBER, "member-password", PROJECT);
        image = TestImages.withFiles(WORK, "18.04", java.util.Map.of("hello.txt", "hello from the guide"));
        push(ADMIN_EMAIL, adminKey, "ubuntu:18.04").requireOk();
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void the_registry_address_is_the_registry_host_and_the_project() {
        BerthApi.Reply reply = api.get("/api/v1/projects/" + PROJECT + "/appkey", ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(reply.text("registryAddress")).isEqualTo("127.0.0.1:" + REGISTRY_PORT + "/" + PROJECT);
        assertThat(reply.text("registryUrl")).isEqualTo("http://127.0.0.1:" + REGISTRY_PORT);
    }

    @Test
    void an_admin_pushes_and_pulls() throws IOException {
        assertThat(push(ADMIN_EMAIL, adminKey, "ubuntu:admin").exit()).isZero();
        Path pulled = WORK.resolve("pulled-admin");
        Tools.Result pull = pull(ADMIN_EMAIL, adminKey, "ubuntu:admin", pulled);
        assertThat(pull.exit()).as(pull.output()).isZero();
        assertThat(Files.exists(pulled.resolve("index.json"))).isTrue();
    }

    @Test
    void a_member_pulls_but_its_push_is_denied() {
        Tools.Result pull = pull(MEMBER, memberKey, "ubuntu:18.04", WORK.resolve("pulled-member"));
        assertThat(pull.exit()).as(pull.output()).isZero();

        PushResult push = push(MEMBER, memberKey, "ubuntu:member");
        assertThat(push.exit()).isNotZero();
        assertThat(push.output().toLowerCase()).containsAnyOf("denied", "unauthorized");
    }

    @Test
    void an_account_outside_the_project_can_neither_pull_nor_push() {
        String outsiderKey = api.appkey(OUTSIDER, "outsider-password", "elsewhere");
        assertThat(pull(OUTSIDER, outsiderKey, "ubuntu:18.04", WORK.resolve("pulled-outsider")).exit()).isNotZero();
        assertThat(push(OUTSIDER, outsiderKey, "ubuntu:outsider").exit()).isNotZero();
    }

    @Test
    void a_wrong_appkey_is_refused() {
        Tools.Result pull = pull(MEMBER, memberKey + "-wrong", "ubuntu:18.04", WORK.resolve("pulled-wrong"));
        assertThat(pull.exit()).isNotZero();
        assertThat(pull.output().toLowerCase()).containsAnyOf("unauthorized", "401");
    }

    @Test
    void after_regenerating_the_old_appkey_is_refused_and_the_new_one_works() {
        String third = "third@example.test";
        api.createAccount(third, "third-password");
        api.putMember(PROJECT, third, "MEMBER");
        String old = api.appkey(third, "third-password", PROJECT);
        assertThat(pull(third, old, "ubuntu:18.04", WORK.resolve("pulled-third-1")).exit()).isZero();

        String fresh = api.regenerateAppkey(third, "third-password", PROJECT);
        assertThat(pull(third, old, "ubuntu:18.04", WORK.resolve("pulled-third-2")).exit()).isNotZero();
        assertThat(pull(third, fresh, "ubuntu:18.04", WORK.resolve("pulled-third-3")).exit()).isZero();
    }

    @Test
    void a_member_cannot_delete_a_manifest() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String manifestUrl = "http://" + registry.host() + "/v2/" + PROJECT + "/ubuntu/manifests/18.04";
        String adminToken = api.token(ADMIN_EMAIL, adminKey, "service=" + tokens.service() + "&scope=repository:" + PROJECT + "/ubuntu:pull").text("token");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(manifestUrl)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        String digest = head.headers().firstValue("Docker-Content-Digest").orElseThrow();

        String memberToken = api.token(MEMBER, memberKey, "service=" + tokens.service() + "&scope=repository:" + PROJECT + "/ubuntu:pull,delete").text("token");
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + PROJECT + "/ubuntu/manifests/" + digest))
                .DELETE().header("Authorization", "Bearer " + memberToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(401);
        assertThat(delete.headers().firstValue("WWW-Authenticate").orElse("")).contains("insufficient_scope");

        HttpResponse<Void> still = http.send(HttpRequest.newBuilder(URI.create(manifestUrl)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(still.statusCode()).isEqualTo(200);
    }

    @Test
    void jib_pushes_an_image_with_email_and_appkey() throws Exception {
        Path file = Files.writeString(WORK.resolve("jib-hello.txt"), "hello from jib");
        JibContainer container = TestImages.pushWithJib(file, registry.host() + "/" + PROJECT + "/jib:1.0", ADMIN_EMAIL, adminKey);
        assertThat(container.getDigest().toString()).startsWith("sha256:");

        Tools.Result inspect = Tools.run(Tools.skopeo("inspect", "--tls-verify=false", "--creds", MEMBER + ":" + memberKey,
                "docker://" + registry.host() + "/" + PROJECT + "/jib:1.0"));
        assertThat(inspect.exit()).as(inspect.output()).isZero();
        assertThat(inspect.output()).contains(container.getDigest().toString());
    }

    private PushResult push(String user, String key, String reference) {
        Tools.Result result = Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + key,
                image.oci(), "docker://" + registry.host() + "/" + PROJECT + "/" + reference));
        return new PushResult(result.exit(), result.output());
    }

    private Tools.Result pull(String user, String key, String reference, Path into) {
        return Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", user + ":" + key,
                "docker://" + registry.host() + "/" + PROJECT + "/" + reference, "oci:" + into + ":pulled"));
    }

    record PushResult(int exit, String output) {
        void requireOk() {
            if (exit != 0) {
                throw new AssertionError("skopeo push failed:\n" + output);
            }
        }
    }
}
