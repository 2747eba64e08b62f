package berth.catalog.remote;

import berth.BerthApplication;
import berth.catalog.RegistryRefusedException;
import berth.oci.RepositoryName;
import berth.testing.TestSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog's registry client against a scripted HTTP registry: paging by {@code Link} headers,
 * retries on 5xx and 429, one new token after a 401, and what each answer to a DELETE means. The stub
 * answers what CNCF Distribution and Berth's engine answer; that the client works with the real ones
 * is shown by the catalog's end-to-end tests.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryClientIT {

    private static final RepositoryName APP = new RepositoryName("team/app");
    private static final HttpServer STUB = startStub();
    /** Scripted answers by "METHOD path?query", used in order; the last one repeats. */
    private static final Map<String, Queue<Answer>> SCRIPT = new ConcurrentHashMap<>();
    private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
    private static final Queue<String> AUTHORIZATIONS = new ConcurrentLinkedQueue<>();

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-registry-client").catalogSyncOnlyWhenAsked()
                .set("berth.registry.mode", "external")
                .set("berth.registry.url", "http://127.0.0.1:" + STUB.getAddress().getPort())
                .set("berth.catalog.retries", "2");
    }

    @Autowired
    RegistryClient client;

    @BeforeEach
    void forget() {
        SCRIPT.clear();
        SEEN.clear();
        AUTHORIZATIONS.clear();
    }

    @AfterAll
    void stop() {
        STUB.stop(0);
    }

    @Test
    void the_catalog_is_read_across_pages_following_the_link_header() {
        script("GET /v2/_catalog?n=1000", new Answer(200, Map.of("Link", "</v2/_catalog?last=b%2Fone&n=1000>; rel=\"next\""),
                "{\"repositories\":[\"a/one\",\"b/one\"]}"));
        script("GET /v2/_catalog?last=b%2Fone&n=1000", new Answer(200, Map.of(), "{\"repositories\":[\"c/one\"]}"));

        assertThat(client.repositories()).containsExactly(new RepositoryName("a/one"), new RepositoryName("b/one"), new RepositoryName("c/one"));
        assertThat(SEEN).containsExactly("GET /v2/_catalog?n=1000", "GET /v2/_catalog?last=b%2Fone&n=1000");
        assertThat(AUTHORIZATIONS).allSatisfy(value -> assertThat(value).startsWith("Bearer "));
    }

    @Test
    void tags_are_asked_again_after_a_503_and_a_429_and_an_unknown_repository_is_empty() {
        script("GET /v2/team/app/tags/list?n=1000", new Answer(503, Map.of(), "busy"), new Answer(429, Map.of(), "slow down"),
                new Answer(200, Map.of(), "{\"name\":\"team/app\",\"tags\":[\"1.0\",\"latest\"]}"));
        script("GET /v2/team/gone/tags/list?n=1000", new Answer(404, Map.of(),
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"));

        assertThat(client.tags(APP)).contains(List.of("1.0", "latest"));
        assertThat(SEEN).containsExactly("GET /v2/team/app/tags/list?n=1000", "GET /v2/team/app/tags/list?n=1000",
                "GET /v2/team/app/tags/list?n=1000");
        assertThat(client.tags(new RepositoryName("team/gone"))).isEmpty();
    }

    @Test
    void a_registry_that_keeps_failing_is_reported_with_its_status_after_the_retries() {
        script("GET /v2/team/app/tags/list?n=1000", new Answer(500, Map.of(), "broken disk"));

        assertThatThrownBy(() -> client.tags(APP)).isInstanceOf(RegistryRefusedException.class).hasMessageContaining("500");
        assertThat(SEEN).as("the first try and berth.catalog.retries=2 more").hasSize(3);
    }

    @Test
    void a_401_is_answered_once_with_a_fresh_token() {
        script("GET /v2/team/app/tags/list?n=1000", new Answer(401, Map.of(), "expired"),
                new Answer(200, Map.of(), "{\"name\":\"team/app\",\"tags\":[\"1.0\"]}"));

        assertThat(client.tags(APP)).contains(List.of("1.0"));
        assertThat(SEEN).hasSize(2);
    }

    @Test
    void each_answer_to_a_delete_says_what_happened() {
        script("DELETE /v2/team/app/manifests/gone", new Answer(202, Map.of(), ""));
        script("DELETE /v2/team/app/manifests/missing", new Answer(404, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"));
        script("DELETE /v2/team/app/manifests/by-tag", new Answer(400, Map.of(), "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}"));
        script("DELETE /v2/team/app/manifests/off", new Answer(405, Map.of(), "{\"errors\":[{\"code\":\"UNSUPPORTED\"}]}"));
        script("DELETE /v2/team/app/manifests/denied", new Answer(403, Map.of(), "{\"errors\":[{\"code\":\"DENIED\"}]}"));

        assertThat(client.deleteManifest(APP, "gone")).isEqualTo(RegistryClient.Deletion.DELETED);
        assertThat(client.deleteManifest(APP, "missing")).isEqualTo(RegistryClient.Deletion.NOT_FOUND);
        assertThat(client.deleteManifest(APP, "by-tag")).isEqualTo(RegistryClient.Deletion.UNSUPPORTED);
        assertThat(client.deleteManifest(APP, "off")).isEqualTo(RegistryClient.Deletion.UNSUPPORTED);
        assertThatThrownBy(() -> client.deleteManifest(APP, "denied")).isInstanceOf(RegistryRefusedException.class)
                .hasMessageContaining("403");
    }

    private static void script(String request, Answer... answers) {
        SCRIPT.put(request, new ConcurrentLinkedQueue<>(List.of(answers)));
    }

    private static HttpServer startStub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", RegistryClientIT::answer);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the stub registry", e);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
        Queue<Answer> answers = SCRIPT.get(key);
        Answer answer;
        if (answers == null) {
            answer = new Answer(404, Map.of(), "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}");
        } else {
            SEEN.add(key);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            AUTHORIZATIONS.add(authorization == null ? "" : authorization);
            answer = answers.size() > 1 ? answers.poll() : answers.peek();
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
