package berth.catalog.remote;

import berth.e2e.DistributionRegistry;
import berth.testing.FreePorts;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The external registry's health against a real CNCF Distribution ({@code docker-registry}), a port
 * nobody listens on, a socket that never answers, and an HTTP server that answers what no
 * registry should. (That it is registered in external mode only, and that anonymous callers see
 * just the status, is checked over HTTP by DistributionCatalogE2EIT and the embedded catalog tests.)
 */
class ExternalRegistryHealthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path work;

    @Test
    void a_distribution_answering_v2_is_up_and_the_answer_is_kept_for_the_cache_time() throws IOException {
        Duration cachedFor = Duration.ofSeconds(3);
        try (DistributionRegistry distribution = DistributionRegistry.start(FreePorts.next(), Files.createDirectories(work.resolve("d")), "storage:\n")) {
            ExternalRegistryHealth health = new ExternalRegistryHealth(URI.create(distribution.url() + "/"), cachedFor, TIMEOUT);

            long probed = System.nanoTime();
            Health up = health.health();
            assertThat(up.getStatus()).as(up.toString()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("status", 200).containsEntry("registry", distribution.host());

            distribution.close();
            awaitStatus(health, Status.DOWN, Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - probed)).as("the stopped registry shows only when the cached answer expired")
                    .isGreaterThanOrEqualTo(cachedFor);
            assertThat(health.health().getDetails()).containsEntry("reason", "connection refused");
        }
    }

    @Test
    void a_closed_port_is_down_with_a_reason_that_shows_no_credentials() {
        int closed = FreePorts.next();
        ExternalRegistryHealth health = new ExternalRegistryHealth(URI.create("http://berth:s3cret@127.0.0.1:" + closed), Duration.ZERO, TIMEOUT);

        Health down = health.health();

        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("reason", "connection refused").containsEntry("registry", "127.0.0.1:" + closed);
        assertThat(down.toString()).doesNotContain("s3cret");
    }

    @Test
    void a_registry_that_accepts_but_never_answers_is_down_after_the_timeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ExternalRegistryHealth health = new ExternalRegistryHealth(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ZERO, TIMEOUT);

            long start = System.nanoTime();
            Health down = health.health();

            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("reason", "no answer within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void server_errors_and_a_401_without_a_challenge_are_down_and_a_challenge_is_up() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] status = {503};
        boolean[] challenge = {false};
        server.createContext("/v2/", exchange -> {
            if (challenge[0]) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://berth/auth/token\",service=\"berth-registry\"");
            }
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            ExternalRegistryHealth health = new ExternalRegistryHealth(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    Duration.ZERO, TIMEOUT);

            assertThat(health.health().getDetails()).containsEntry("reason", "answered 503");
            status[0] = 401;
            Health unchallenged = health.health();
            assertThat(unchallenged.getStatus()).isEqualTo(Status.DOWN);
            assertThat(unchallenged.getDetails()).containsEntry("reason", "answered 401 without a WWW-Authenticate challenge");
            status[0] = 404;
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            status[0] = 401;
            challenge[0] = true;
            Health challenged = health.health();
            assertThat(challenged.getStatus()).isEqualTo(Status.UP);
            assertThat(challenged.getDetails()).containsEntry("status", 401);
        } finally {
            server.stop(0);
        }
    }

    private static void awaitStatus(ExternalRegistryHealth health, Status status, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!health.health().getStatus().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("health did not become " + status + " within " + limit + ": " + health.health());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
