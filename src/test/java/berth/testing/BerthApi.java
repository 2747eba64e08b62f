package berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client of Berth's REST API and token service, as a script or CI job would use them. */
public final class BerthApi {

    public static final String ADMIN_EMAIL = "admin@example.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String base;

    public BerthApi(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A client connecting from {@code from}, another loopback address such as {@code 127.0.1.7}: Berth
     * tells clients apart by address (the login throttle), and every test can be a client of its own.
     */
    public BerthApi(int port, java.net.InetAddress from) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).localAddress(from).build();
    }

    public String base() {
        return base;
    }

    /** A response: status, parsed JSON body (an empty object when there is none), headers and the body as sent. */
    public record Reply(int status, JsonNode json, java.net.http.HttpHeaders headers, String raw) {
        public String text(String field) {
            return json.path(field).asString();
        }
    }

    public Reply get(String path, String email, String password) {
        return send(request(path, email, password).GET());
    }

    /**
     * One value from {@code /actuator/prometheus}, read as the test's system administrator: the
     * series named {@code name} whose labels contain {@code label}; fails when there is none.
     */
    public double metric(String name, String label) {
        Reply reply = get("/actuator/prometheus", ADMIN_EMAIL, ADMIN_PASSWORD);
        if (reply.status() != 200) {
            throw new AssertionError("/actuator/prometheus answered " + reply.status() + ": " + reply.raw());
        }
        return reply.raw().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> line.substring(0, line.lastIndexOf(' ')).contains(label))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " {" + label + "} in /actuator/prometheus"));
    }

    public Reply post(String path, String email, String password, Object body) {
        return send(request(path, email, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    public Reply put(String path, String email, String password, Object body) {
        return send(request(path, email, password).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A POST with any headers and body and no Basic credentials, as the registry's notifications come. */
    public Reply postRaw(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    public Reply delete(String path, String email, String password) {
        return send(request(path, email, password).DELETE());
    }

    /** Creates an account as the test administrator. */
    public void createAccount(String email, String password) {
        Reply reply = post("/api/v1/accounts", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("email", email, "password", password, "systemAdmin", false));
        require(reply, 201);
    }

    /** Creates a project as {@code email}, who becomes its ADMIN. */
    public void createProject(String email, String password, String project) {
        require(post("/api/v1/projects", email, password, Map.of("name", project)), 201);
    }

    public void putMember(String project, String email, String role) {
        require(put("/api/v1/projects/" + project + "/members/" + email, ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("role", role)), 200);
    }

    /** The caller's own Appkey for the project ("URL & Appkey"). */
    public String appkey(String email, String password, String project) {
        Reply reply = get("/api/v1/projects/" + project + "/appkey", email, password);
        require(reply, 200);
        return reply.text("appkey");
    }

    public String regenerateAppkey(String email, String password, String project) {
        Reply reply = post("/api/v1/projects/" + project + "/appkey/regenerate", email, password, Map.of());
        require(reply, 200);
        return reply.text("appkey");
    }

    /** {@code GET /auth/token} with Basic credentials and the given scopes. */
    public Reply token(String username, String secret, String query) {
        return send(HttpRequest.newBuilder(URI.create(base + "/auth/token?" + query))
                .header("Authorization", basic(username, secret)).GET());
    }

    /** {@code POST /auth/token}, a form as {@code docker login} sends it. */
    public Reply oauth(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private HttpRequest.Builder request(String path, String email, String password) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(email, password));
    }

    public static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            JsonNode json = body.isBlank() || !body.trim().startsWith("{") && !body.trim().startsWith("[")
                    ? JSON.createObjectNode() : JSON.readTree(body);
            return new Reply(response.statusCode(), json, response.headers(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(Reply reply, int status) {
        if (reply.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + reply.status() + ": " + reply.json());
        }
    }
}
