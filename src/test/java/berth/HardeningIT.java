package berth;

import berth.testing.BerthApi;
import berth.testing.BerthApi.Reply;
import berth.testing.TestSettings;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What issue 23's attacks found, each as it was done: the console form, REST Basic, the token
 * service and password changes behind one throttle (findings 1 and 6), malformed input (5), the
 * console's headers and CSRF (7), cross-site API calls (8), the loose ends of finding 9, and the
 * one error shape of the REST API (issue 18).
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class HardeningIT {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-hardening-it")
                // As in production, where the root level is INFO: Tomcat logged each TLS probe with a stack trace at INFO.
                .set("logging.level.org.apache.coyote", "info");
    }

    @LocalServerPort
    int port;

    BerthApi api;
    InetAddress from;
    String email;
    String project;

    @BeforeEach
    void account() throws IOException {
        int n = SEQUENCE.incrementAndGet();
        // Each test is a client of its own, so that one test's failed logins do not throttle the next's address.
        from = InetAddress.getByName("127.0.1." + n);
        api = new BerthApi(port, from);
        email = "carol" + n + "@example.test";
        project = "hard" + n;
        api.createAccount(email, "carols-password");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        api.putMember(project, email, "ADMIN");
    }

    // --- Finding 1: every password surface goes through one throttle ------------------------------

    @Test
    void rest_basic_gets_429_with_retry_after_after_ten_wrong_passwords_even_for_the_right_one() {
        for (int i = 0; i < 10; i++) {
            assertThat(api.get("/api/v1/projects", email, "wrong" + i).status()).isEqualTo(401);
        }
        Reply throttled = api.get("/api/v1/projects", email, "carols-password");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.text("error")).isEqualTo("too_many_requests");
        assertThat(throttled.text("message")).contains("try again in");
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
    }

    @Test
    void console_sign_in_rest_basic_and_password_change_count_together_and_the_form_answers_429() throws Exception {
        Browser browser = new Browser(from);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> failed = browser.signIn(email, "wrong-form" + i);
            assertThat(failed.statusCode()).isEqualTo(302);
            assertThat(failed.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/v1/projects", email, "wrong-basic" + i).status()).isEqualTo(401);
        }
        // A console left open: guessing the current password counts as well.
        for (int i = 0; i < 3; i++) {
            Reply change = api.put("/api/v1/account/password", email, "carols-password",
                    Map.of("currentPassword", "wrong-current" + i, "newPassword", "taken-over-now"));
            assertThat(change.status()).isEqualTo(400);
        }
        HttpResponse<String> throttled = browser.signIn(email, "carols-password");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(throttled.body()).contains("Too many failed sign-ins").doesNotContain("Exception");
        assertThat(api.get("/api/v1/projects", email, "carols-password").status()).isEqualTo(429);
    }

    // --- Finding 6: the key is the normalised account and the address -----------------------------

    @Test
    void a_respelled_username_is_the_same_account_and_another_address_still_gets_in() throws Exception {
        String appkey = api.appkey(email, "carols-password", project);
        for (int i = 0; i < 10; i++) {
            assertThat(api.token(email, "wrong-key" + i, "").status()).isEqualTo(401);
        }
        assertThat(api.token(email, appkey, "").status()).isEqualTo(429);
        assertThat(api.token(" " + email.toUpperCase(), appkey, "").status()).as("leading space, uppercase").isEqualTo(429);
        assertThat(api.get("/api/v1/projects", " " + email, "carols-password").status()).isEqualTo(429);

        HttpClient elsewhere = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.2." + SEQUENCE.get())).build();
        HttpResponse<String> token = elsewhere.send(HttpRequest.newBuilder(URI.create(api.base() + "/auth/token"))
                .header("Authorization", BerthApi.basic(email, appkey)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        HttpResponse<String> projects = elsewhere.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/projects"))
                .header("Authorization", BerthApi.basic(email, "carols-password")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(projects.statusCode()).as(projects.body()).isEqualTo(200);
    }

    // --- Finding 5 and issue 18: malformed input is a 400 in the one error shape, never a 5xx ------

    @Test
    void malformed_parameters_and_names_get_400_with_the_standard_body_and_log_no_stack_trace(CapturedOutput log) throws IOException {
        int before = log.getOut().length();
        for (String query : new String[] {"scope=%%%", "service=%", "offline_token=%"}) {
            String reply = rawGet("/auth/token?" + query); // java.net.URI refuses to send these
            assertThat(reply).as(query).startsWith("HTTP/1.1 400 ").contains("\"error\":\"invalid_request\"");
        }
        assertThat(rawGet("/api/v1/projects/" + project + "/repositories?filter=%zz", "Authorization: " + BerthApi.basic(ADMIN_EMAIL, ADMIN_PASSWORD)))
                .startsWith("HTTP/1.1 400 ").contains("\"error\":\"invalid_request\"");
        for (String path : new String[] {"a%20b/tags/x", "a%7Bb/tags/x", "a%22b/tags/x", "ab/tags/v%20x", "Upper/tags/x", "a..b/tags/x",
                "a%3Fb/tags/x", "a".repeat(300) + "/tags/x"}) {
            Reply reply = api.delete("/api/v1/projects/" + project + "/repositories/" + path, ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.text("error")).as(path).isEqualTo("invalid_request");
            assertThat(reply.text("message")).as(path).contains("is invalid");
        }
        // Found by BlackBoxFuzzIT: a path parameter broke Spring's path parsing before the firewall could refuse it.
        for (String path : new String[] {"/v2;/", "///v2/", "///v2", "/%76%32/"}) {
            assertThat(rawGet(path)).as(path).startsWith("HTTP/1.1 400 ").contains("The address is not valid");
        }
        assertThat(rawGet("/api/v1;x/projects")).startsWith("HTTP/1.1 400 ").contains("\"error\":\"invalid_request\"");
        String logged = log.getOut().substring(before);
        assertThat(logged).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void every_api_error_is_a_problem_detail_carrying_error_and_message() {
        Reply notFound = api.get("/api/v1/projects/nosuchproject" + SEQUENCE.get() + "/members", ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply unauthorized = api.get("/api/v1/projects", email, "not-it");
        Reply invalid = api.post("/api/v1/projects", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("name", "Not A Name"));
        for (Reply reply : new Reply[] {notFound, unauthorized, invalid}) {
            assertThat(reply.json().path("status").asInt()).as(reply.raw()).isEqualTo(reply.status());
            assertThat(reply.text("title")).as(reply.raw()).isNotBlank();
            assertThat(reply.text("detail")).as(reply.raw()).isEqualTo(reply.text("message")).isNotBlank();
            assertThat(reply.text("error")).as(reply.raw()).isNotBlank();
            assertThat(reply.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        }
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.text("error")).isEqualTo("unauthorized");
        assertThat(invalid.status()).isEqualTo(400);
    }

    // --- Finding 9 ---------------------------------------------------------------------------------

    @Test
    void unknown_api_paths_are_json_404s_a_json_token_request_is_415_and_the_version_is_not_public() {
        Reply unknown = api.get("/api/v1/no/such/thing", ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("error")).isEqualTo("not_found");
        assertThat(unknown.raw()).doesNotContain("<html");

        Reply json = api.postRaw("/auth/token", "application/json", "{\"grant_type\":\"password\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.text("error")).isEqualTo("unsupported_media_type");

        Reply info = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/actuator/info")).GET());
        assertThat(info.status()).isEqualTo(401);
        assertThat(info.raw()).doesNotContain("version");
        assertThat(api.get("/actuator/info", ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void a_tls_hello_on_the_plain_port_as_skopeo_probes_is_refused_without_a_stack_trace(CapturedOutput log) throws IOException {
        int before = log.getOut().length();
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(from, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(hello);
                socket.shutdownOutput();
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400");
            }
        }
        assertThat(log.getOut().substring(before)).doesNotContain("\tat ").doesNotContain("Error parsing HTTP request header");
    }

    // --- Finding 8: cross-site state changes -------------------------------------------------------

    @Test
    void a_cross_site_form_post_with_cached_basic_credentials_is_refused() {
        String path = "/api/v1/projects/" + project + "/appkey/regenerate";
        Reply form = api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", BerthApi.basic(email, "carols-password"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")));
        assertThat(form.status()).isEqualTo(403);
        Reply sameOriginForm = api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", BerthApi.basic(email, "carols-password"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")));
        assertThat(sameOriginForm.status()).isEqualTo(415);
        assertThat(sameOriginForm.text("error")).isEqualTo("unsupported_media_type");
        Reply script = api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", BerthApi.basic(email, "carols-password"))
                .header("Origin", api.base())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(script.status()).isEqualTo(200);
        assertThat(api.regenerateAppkey(email, "carols-password", project)).isNotBlank();
    }

    // --- Finding 7: the console's headers, cookie and CSRF -----------------------------------------

    @Test
    void console_pages_send_security_headers_a_lax_cookie_and_the_login_form_needs_its_csrf_token() throws Exception {
        Browser browser = new Browser(from);
        HttpResponse<String> login = browser.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'")
                .contains("frame-ancestors 'self'").contains("object-src 'none'");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie).contains("JSESSIONID").contains("SameSite=Lax"));

        HttpResponse<String> forged = browser.post("/login", "username=" + enc(email) + "&password=carols-password");
        assertThat(forged.statusCode()).as("a sign-in without the page's CSRF token").isIn(302, 403);
        assertThat(forged.headers().firstValue("Location").orElse("")).doesNotEndWith(":" + port + "/");

        HttpResponse<String> signedIn = browser.signIn(email, "carols-password");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith(":" + port + "/");
        HttpResponse<String> page = browser.get("/projects");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    /** A GET sent byte for byte as written, the whole response as text. */
    private String rawGet(String target, String... headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A browser's view of the console: cookies kept, redirects not followed, the login page's CSRF token sent. */
    private final class Browser {

        private final HttpClient http;

        Browser(InetAddress from) {
            http = HttpClient.newBuilder().cookieHandler(new CookieManager()).localAddress(from)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(api.base() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> signIn(String username, String password) throws IOException, InterruptedException {
            Matcher csrf = CSRF_META.matcher(get("/login").body());
            assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
            return post("/login", "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1)));
        }
    }
}
