package berth.webhooks;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetGuardTest {

    private final TargetGuard guard = new TargetGuard(settings(false));

    @Test
    void refuses_loopback_private_link_local_metadata_and_unique_local_addresses() {
        for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
                "http://172.16.0.9/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
                "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/",
                "http://[::ffff:127.0.0.1]/"}) {
            assertThat(guard.refusal(URI.create(url))).as(url).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("berth.webhooks.allow-private-targets"));
        }
    }

    @Test
    void lets_public_addresses_through_and_refuses_other_schemes_and_credentials() {
        assertThat(guard.refusal(URI.create("https://93.184.215.14/hook"))).isEmpty();
        assertThat(guard.refusal(URI.create("https://[2606:4700::1]/hook"))).isEmpty();
        assertThat(guard.refusal(URI.create("ftp://93.184.215.14/"))).hasValueSatisfying(r -> assertThat(r).contains("http"));
        assertThat(guard.refusal(URI.create("http://user:pw@93.184.215.14/"))).isPresent();
    }

    @Test
    void allow_private_targets_lets_loopback_through() {
        assertThat(new TargetGuard(settings(true)).refusal(URI.create("http://127.0.0.1:9/hook"))).isEmpty();
    }

    @Test
    void repository_globs_match_within_the_project() {
        assertThat(pushesTo("**", "proj/team/app")).isTrue();
        assertThat(pushesTo("team/*", "proj/team/app")).isTrue();
        assertThat(pushesTo("team/*", "proj/team/sub/app")).isFalse();
        assertThat(pushesTo("app", "proj/apps")).isFalse();
        assertThat(pushesTo("app", "proj/app")).isTrue();
    }

    /** Whether an endpoint of project {@code proj} with {@code glob} wants a push to {@code repository}. */
    private static boolean pushesTo(String glob, String repository) {
        WebhookEndpoint endpoint = new WebhookEndpoint("proj", "https://hooks.example.test/", java.util.Set.of(WebhookEvent.PUSH_ARTIFACT), glob,
                "sealed", true, java.time.Instant.EPOCH);
        return endpoint.wants(WebhookEvent.PUSH_ARTIFACT, repository);
    }

    @Test
    void the_signature_is_the_hex_hmac_sha256_of_the_body() {
        // echo -n 'hello' | openssl dgst -sha256 -hmac key
        assertThat(WebhookSender.hmac("key", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b");
    }

    private static WebhookSettings settings(boolean allowPrivate) {
        return new WebhookSettings(allowPrivate, Duration.ofHours(24), Duration.ofHours(24), Duration.ofSeconds(1),
                Duration.ofHours(1), Duration.ofSeconds(10));
    }
}
