package berth.auth;

import berth.BerthApplication;
import berth.testing.BerthApi;
import berth.testing.BerthApi.Reply;
import berth.testing.MutableClock;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = {BerthApplication.class, TokenServiceIT.Time.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TokenServiceIT {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String HOST = "registry.example.test:5000";

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.now());
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).freshData("berth-token-it").publicAddress(HOST);
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    RegistryTokens tokens;

    @Autowired
    JdbcTemplate jdbc;

    BerthApi api;
    String project;
    String member;
    String outsider;

    @BeforeEach
    void project() {
        api = new BerthApi(port);
        int n = SEQUENCE.incrementAndGet();
        project = "team" + n;
        member = "member" + n + "@example.test";
        outsider = "outsider" + n + "@example.test";
        api.createAccount(member, "member-password");
        api.createAccount(outsider, "outsider-password");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        api.putMember(project, member, "MEMBER");
    }

    @Test
    void an_admin_gets_pull_push_and_delete_and_a_member_only_pull() {
        String adminKey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        String memberKey = api.appkey(member, "member-password", project);
        String scope = "service=berth-registry&scope=repository:" + project + "/app:pull,push,delete";

        assertThat(actions(api.token(ADMIN_EMAIL, adminKey, scope))).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(actions(api.token(member, memberKey, scope))).containsExactly("pull");
    }

    @Test
    void repositories_of_other_projects_get_nothing_and_that_is_not_an_error() {
        String memberKey = api.appkey(member, "member-password", project);
        Reply reply = api.token(member, memberKey, "scope=repository:elsewhere/app:pull");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(verified(reply).access()).isEmpty();
    }

    @Test
    void wrong_appkeys_and_someone_elses_appkey_are_refused() {
        String memberKey = api.appkey(member, "member-password", project);
        assertThat(api.token(member, memberKey + "x", "scope=repository:" + project + "/app:pull").status()).isEqualTo(401);
        assertThat(api.token(outsider, memberKey, "scope=repository:" + project + "/app:pull").status()).isEqualTo(401);
        assertThat(api.token(member, "member-password", "").status()).isEqualTo(401);
    }

    @Test
    void an_outsider_with_their_own_appkey_gets_nothing_in_the_project() {
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project + "-other");
        api.putMember(project + "-other", outsider, "ADMIN");
        String outsiderKey = api.appkey(outsider, "outsider-password", project + "-other");
        Reply reply = api.token(outsider, outsiderKey, "scope=repository:" + project + "/app:pull,push");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(verified(reply).access()).isEmpty();
    }

    @Test
    void a_malformed_scope_is_a_400_with_a_sentence() {
        String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        Reply reply = api.token(ADMIN_EMAIL, key, "scope=repository-without-actions");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("message")).contains("type:name:actions");
    }

    @Test
    void a_repository_name_of_256_characters_with_the_registry_address_is_refused_naming_the_rule() {
        String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        String prefix = project + "/";
        String fits = prefix + "a".repeat(255 - HOST.length() - 1 - prefix.length());
        String tooLong = fits + "a";
        assertThat((HOST + "/" + tooLong).length()).isEqualTo(256);

        assertThat(api.token(ADMIN_EMAIL, key, "scope=repository:" + fits + ":pull").status()).isEqualTo(200);
        Reply refused = api.token(ADMIN_EMAIL, key, "scope=repository:" + tooLong + ":pull");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("message")).contains("together with the registry address").contains("at most 255").contains("256");
    }

    @Test
    void uppercase_repository_names_are_refused() {
        String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        Reply refused = api.token(ADMIN_EMAIL, key, "scope=repository:" + project + "/App:pull");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("message")).contains("lowercase");
    }

    @Test
    void an_account_changes_its_own_password_by_giving_the_current_one_and_its_appkey_keeps_working() {
        String memberKey = api.appkey(member, "member-password", project);
        String path = "/api/v1/account/password";

        Reply wrongCurrent = api.put(path, member, "member-password", Map.of("currentPassword", "not-it-at-all", "newPassword", "brand-new-secret"));
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(wrongCurrent.text("message")).contains("current password");
        Reply tooShort = api.put(path, member, "member-password", Map.of("currentPassword", "member-password", "newPassword", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.text("message")).contains("8 characters");
        assertThat(api.put(path, member, "member-password", Map.of("newPassword", "brand-new-secret")).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects", member, "member-password").status()).as("refusals change nothing").isEqualTo(200);

        Reply changed = api.put(path, member, "member-password", Map.of("currentPassword", "member-password", "newPassword", "brand-new-secret"));
        assertThat(changed.status()).as(changed.raw()).isEqualTo(204);

        assertThat(api.get("/api/v1/projects", member, "member-password").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects", member, "brand-new-secret").status()).isEqualTo(200);
        assertThat(actions(api.token(member, memberKey, "service=berth-registry&scope=repository:" + project + "/app:pull")))
                .as("the Appkey is not the password").containsExactly("pull");
        assertThat(api.put(path, member, "member-password", Map.of("currentPassword", "member-password", "newPassword", "x".repeat(9)))
                .status()).isEqualTo(401);
    }

    @Test
    void guessing_the_current_password_is_throttled_like_failed_logins() throws java.net.UnknownHostException {
        String path = "/api/v1/account/password";
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
            assertThat(api.put(path, member, "member-password", Map.of("currentPassword", "guess-" + i, "newPassword", "taken-over-now"))
                    .status()).isEqualTo(400);
        }
        Reply throttled = api.put(path, member, "member-password", Map.of("currentPassword", "member-password", "newPassword", "taken-over-now"));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.text("error")).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        // Asked from another address: from this one every password of the account is throttled now (one throttle, issue 23).
        BerthApi elsewhere = new BerthApi(port, java.net.InetAddress.getByName("127.0.0.9"));
        assertThat(elsewhere.get("/api/v1/projects", member, "taken-over-now").status()).as("nothing changed").isEqualTo(401);

        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(api.put(path, member, "member-password", Map.of("currentPassword", "member-password", "newPassword", "changed-later"))
                .status()).isEqualTo(204);
    }

    @Test
    void a_system_admin_sets_a_forgotten_password_and_nobody_else_may() {
        Reply byMember = api.put("/api/v1/accounts/" + outsider + "/password", member, "member-password", Map.of("password", "taken-over-now"));
        assertThat(byMember.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/projects", outsider, "taken-over-now").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects", outsider, "outsider-password").status()).isEqualTo(200);

        assertThat(api.put("/api/v1/accounts/nobody-" + project + "@example.test/password", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("password", "whatever-long")).status()).isEqualTo(404);
        assertThat(api.put("/api/v1/accounts/" + outsider + "/password", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("password", "short")).status()).isEqualTo(400);
        Reply set = api.put("/api/v1/accounts/" + outsider.toUpperCase(java.util.Locale.ROOT) + "/password", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("password", "set-by-the-admin"));
        assertThat(set.status()).as(set.raw()).isEqualTo(204);

        assertThat(api.get("/api/v1/projects", outsider, "outsider-password").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects", outsider, "set-by-the-admin").status()).isEqualTo(200);
    }

    @Test
    void after_regenerating_the_old_appkey_is_refused_and_the_new_one_works() {
        String old = api.appkey(member, "member-password", project);
        String fresh = api.regenerateAppkey(member, "member-password", project);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(api.token(member, old, "").status()).isEqualTo(401);
        assertThat(api.token(member, fresh, "").status()).isEqualTo(200);
        assertThat(api.appkey(member, "member-password", project)).isEqualTo(fresh);
    }

    @Test
    void a_refresh_token_works_until_12_hours_after_login_and_not_a_second_longer() {
        String key = api.appkey(member, "member-password", project);
        Reply login = api.token(member, key, "offline_token=true&client_id=docker&service=berth-registry");
        String refresh = login.text("refresh_token");
        assertThat(refresh).isNotBlank();

        clock.advance(Duration.ofHours(11).plusMinutes(59));
        Reply refreshed = api.oauth(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "docker",
                "service", "berth-registry", "scope", "repository:" + project + "/app:pull,push"));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(actions(refreshed)).containsExactly("pull");

        clock.advance(Duration.ofMinutes(1));
        Reply expired = api.oauth(Map.of("grant_type", "refresh_token", "refresh_token", refreshed.text("refresh_token"),
                "client_id", "docker", "service", "berth-registry"));
        assertThat(expired.status()).isEqualTo(401);
    }

    @Test
    void a_refresh_token_dies_when_its_appkey_is_regenerated_or_the_membership_ends() {
        String key = api.appkey(member, "member-password", project);
        String refresh = api.oauth(Map.of("grant_type", "password", "username", member, "password", key,
                "client_id", "docker", "service", "berth-registry", "access_type", "offline")).text("refresh_token");
        Map<String, String> use = Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "docker", "service", "berth-registry");
        assertThat(api.oauth(use).status()).isEqualTo(200);

        String newKey = api.regenerateAppkey(member, "member-password", project);
        assertThat(api.oauth(use).status()).isEqualTo(401);

        String refresh2 = api.oauth(Map.of("grant_type", "password", "username", member, "password", newKey,
                "client_id", "docker", "service", "berth-registry", "access_type", "offline")).text("refresh_token");
        Map<String, String> use2 = Map.of("grant_type", "refresh_token", "refresh_token", refresh2, "client_id", "docker", "service", "berth-registry");
        assertThat(api.oauth(use2).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/projects/" + project + "/members/" + member, ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(204);
        assertThat(api.oauth(use2).status()).isEqualTo(401);
        assertThat(api.token(member, newKey, "").status()).isEqualTo(401);
    }

    @Test
    void repeated_failures_get_429_with_retry_after_while_others_log_in_normally() {
        String key = api.appkey(member, "member-password", project);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
            assertThat(api.token(outsider, "guess-" + i, "").status()).isEqualTo(401);
        }
        Reply throttled = api.token(outsider, "guess-again", "");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(api.token(member, key, "").status()).isEqualTo(200);

        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(api.token(outsider, "guess-after-the-window", "").status()).isEqualTo(401);
    }

    @Test
    void a_personal_appkey_works_in_every_project_of_its_owner_with_the_role_there_and_a_project_appkey_only_in_its_own() {
        String second = project + "-second";
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, second);
        api.putMember(second, member, "ADMIN");
        // The member's key of the first project (where they are MEMBER) is the one docker keeps for this host.
        String memberKey = api.appkey(member, "member-password", project);
        assertThat(actions(api.token(member, memberKey, "scope=repository:" + second + "/app:pull,push,delete")))
                .containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(actions(api.token(member, memberKey, "scope=repository:" + project + "/app:pull,push,delete")))
                .containsExactly("pull");
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project + "-third");
        assertThat(actions(api.token(member, memberKey, "scope=repository:" + project + "-third/app:pull"))).isEmpty();

        Reply automation = api.post("/api/v1/projects/" + second + "/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("name", "ci", "permission", "push"));
        assertThat(actions(api.token(automation.text("username"), automation.text("appkey"), "scope=repository:" + project + "/app:pull")))
                .isEmpty();
    }

    @Test
    void project_appkeys_log_in_with_their_own_username_and_their_permission() {
        Reply created = api.post("/api/v1/projects/" + project + "/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("name", "ci", "permission", "pull"));
        assertThat(created.status()).isEqualTo(201);
        String username = created.text("username");
        String secret = created.text("appkey");
        assertThat(username).isEqualTo(project + "+ci");

        assertThat(actions(api.token(username, secret, "scope=repository:" + project + "/app:pull,push"))).containsExactly("pull");
        assertThat(api.get("/api/v1/projects/" + project + "/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD).json().get(0).has("appkey")).isTrue();
        assertThat(api.get("/api/v1/projects/" + project + "/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD).json().get(0).path("appkey").isNull()).isTrue();

        long id = created.json().path("id").asLong();
        assertThat(api.delete("/api/v1/projects/" + project + "/appkeys/" + id, ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(204);
        assertThat(api.token(username, secret, "").status()).isEqualTo(401);
    }

    @Test
    void an_expired_project_appkey_is_refused() {
        Reply created = api.post("/api/v1/projects/" + project + "/appkeys", ADMIN_EMAIL, ADMIN_PASSWORD,
                Map.of("name", "short", "permission", "push", "expiresAt", clock.instant().plus(Duration.ofHours(1)).toString()));
        assertThat(created.status()).isEqualTo(201);
        assertThat(api.token(created.text("username"), created.text("appkey"), "").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(1));
        assertThat(api.token(created.text("username"), created.text("appkey"), "").status()).isEqualTo(401);
    }

    @Test
    void a_database_dump_reveals_no_appkey() {
        String key = api.appkey(member, "member-password", project);
        StringBuilder dump = new StringBuilder();
        for (String table : jdbc.queryForList("select table_name from information_schema.tables where lower(table_schema) = 'public'", String.class)) {
            dump.append(table).append(jdbc.queryForList("select * from \"" + table + "\""));
        }
        String everything = dump.toString().toLowerCase();
        assertThat(everything).contains("appkey").contains("fingerprint");
        assertThat(everything).doesNotContain(key.toLowerCase()).doesNotContain(key.substring(6).toLowerCase());
    }

    @Test
    void a_verified_token_is_remembered_but_never_past_its_expiry_and_a_tampered_copy_is_not_taken_for_it() {
        String token = tokens.issue("someone", List.of(berth.oci.Access.repository(project + "/app", Set.of("pull")))).token();
        RegistryTokens.VerifiedToken first = tokens.verify(token).orElseThrow();
        assertThat(first.subject()).isEqualTo("someone");
        assertThat(tokens.verify(token)).as("the very answer remembered, not verified again").containsSame(first);

        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("someone", "someone-else");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(tokens.verify(forged)).as("other claims under the remembered signature").isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"))).isEmpty();

        clock.advance(Duration.ofDays(1));
        assertThat(tokens.verify(token)).as("remembered, but expired").isEmpty();
    }

    @Test
    void tokens_carry_x5c_a_libtrust_kid_and_a_string_audience() {
        String key = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        Reply reply = api.token(ADMIN_EMAIL, key, "service=berth-registry&scope=repository:" + project + "/app:pull");
        String[] parts = reply.text("token").split("\\.");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode header = json.readTree(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));

        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(header.path("x5c").isArray()).isTrue();
        assertThat(header.path("kid").asString()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        assertThat(claims.path("aud").isString()).isTrue();
        assertThat(claims.path("aud").asString()).isEqualTo("berth-registry");
        assertThat(claims.path("iss").asString()).isEqualTo("berth");
        for (String claim : List.of("sub", "exp", "nbf", "iat", "jti", "access")) {
            assertThat(claims.has(claim)).as(claim).isTrue();
        }
        assertThat(reply.json().path("expires_in").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(reply.text("issued_at")).isNotBlank();
        assertThat(reply.text("access_token")).isEqualTo(reply.text("token"));
    }

    @Test
    void the_api_answers_bad_requests_with_a_4xx_and_a_sentence() {
        Reply badName = api.post("/api/v1/projects", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("name", "Bad Name"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.text("error")).isEqualTo("invalid_request");
        assertThat(badName.text("message")).contains("lowercase");

        assertThat(api.get("/api/v1/projects", ADMIN_EMAIL, "wrong").status()).isEqualTo(401);
        Reply notAdmin = api.put("/api/v1/projects/" + project + "/members/" + outsider, member, "member-password", Map.of("role", "ADMIN"));
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.text("message")).contains("ADMIN");
        Reply malformed = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/v1/projects"))
                .header("Authorization", BerthApi.basic(ADMIN_EMAIL, ADMIN_PASSWORD)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/nope", member, "member-password").status()).isEqualTo(404);
    }

    @Autowired
    SecretCipher cipher;

    @Autowired
    berth.base.BerthSettings settings;

    @Autowired
    AuthSettings authSettings;

    @Test
    void another_instance_on_the_same_database_signs_with_the_same_key() throws Exception {
        // A second instance has its own data directory but shares the database (and the secret key).
        var elsewhere = new berth.base.BerthSettings(ScratchDirectories.create("berth-second"), settings.publicUrl(), settings.registry());
        // Its own meters, as another process has: registering its cache beside this one's would be refused.
        var caches = new berth.base.Caches(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), clock);
        RegistryTokens second = new RegistryTokens(new SigningKey(elsewhere, clock, jdbc, cipher), authSettings, elsewhere, clock, caches);
        String token = tokens.issue("someone@example.test", List.of(berth.oci.Access.repository(project + "/app", List.of("pull")))).token();
        assertThat(second.verify(token)).isPresent();
        assertThat(second.certificatePem()).isEqualTo(tokens.certificatePem());
    }

    @Test
    void the_certificate_is_served_as_pem() {
        Reply reply = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/auth/certs")).GET());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(tokens.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    private List<String> actions(Reply reply) {
        assertThat(reply.status()).as(reply.json().toString()).isEqualTo(200);
        return verified(reply).access().stream().flatMap(a -> a.actions().stream()).toList();
    }

    private RegistryTokens.VerifiedToken verified(Reply reply) {
        return tokens.verify(reply.text("token")).orElseThrow();
    }

}
