package berth.e2e.catalog;

import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.PostgresServer;
import berth.testing.ScratchDirectories;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static berth.e2e.catalog.CatalogAcceptance.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Berth instances (separate JVMs) sharing one real PostgreSQL, both fronting one real CNCF
 * Distribution: only one runs a full sync at a time. Each reaches the registry through a gate of
 * its own (an HTTP pass-through in this test) that can hold back the answer to {@code _catalog},
 * so the test decides how long a sync lasts: instance A's sync is held while B, syncing every
 * second, must skip every run and refuse the API's start with 409 - for several lease periods,
 * so A's renewals are what keeps B out. Once A finishes B syncs; and when A is killed while it
 * holds the lease, B syncs as soon as the lease expires, not before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullSyncLockIT {

    private static final String ADMIN = BerthApi.ADMIN_EMAIL;
    private static final String PASSWORD = BerthApi.ADMIN_PASSWORD;
    private static final Duration LEASE = Duration.ofSeconds(3);

    private DistributionRegistry distribution;
    private Gate gateA;
    private Gate gateB;
    private String database;
    private BerthProcess a;
    private BerthProcess b;

    @BeforeAll
    void twoInstancesOnOneDatabaseInFrontOfOneRegistry() throws Exception {
        Path work = ScratchDirectories.create("berth-full-sync-lock-it");
        distribution = DistributionRegistry.start(FreePorts.next(), Files.createDirectories(work.resolve("distribution")), "storage:\n");
        DistributionStorageSeed seed = new DistributionStorageSeed(distribution.storage());
        seed.tag("team/app", "1.0", 1);
        seed.tag("team/tool", "2.0", 2);
        gateA = Gate.start(distribution.url());
        gateB = Gate.start(distribution.url());
        database = PostgresServer.get().newDatabase("berth_full_sync_lock_it");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        List<String> shared = List.of("--spring.profiles.include=postgres",
                "--spring.datasource.url=" + database, "--spring.datasource.username=berth", "--spring.datasource.password=",
                "--berth.secret-key=" + Base64.getEncoder().encodeToString(secret),
                "--berth.registry.mode=external",
                "--berth.catalog.sync-on-start=true",
                "--berth.catalog.sync-lease=" + LEASE.toSeconds() + "s",
                // A held-back _catalog must not time out and be retried while the test holds it.
                "--berth.catalog.request-timeout=3m");

        gateA.hold();
        a = BerthProcess.start(FreePorts.next(), work.resolve("data-a"), work.resolve("berth-a.log"),
                with(shared, "--berth.registry.url=" + gateA.url(), "--berth.catalog.full-sync-interval=0s"));
        await(Duration.ofSeconds(60), "A's start-up sync reaching the registry", () -> gateA.waiting() == 1);
        b = BerthProcess.start(FreePorts.next(), work.resolve("data-b"), work.resolve("berth-b.log"),
                with(shared, "--berth.registry.url=" + gateB.url(), "--berth.catalog.full-sync-interval=1s"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (AutoCloseable resource : new AutoCloseable[] {b, a, gateA, gateB, distribution}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // the others still need stopping
                }
            }
        }
    }

    @Test
    @Order(1)
    void while_a_holds_the_lease_b_skips_its_scheduled_runs_and_refuses_a_start_and_after_a_releases_it_b_syncs() {
        BerthApi apiA = new BerthApi(a.port());
        BerthApi apiB = new BerthApi(b.port());
        // B started while A's sync was held: its start-up run and a run every second since were skipped.
        await(Duration.ofSeconds(30), "B skipping for two lease periods", () -> skipped(apiB) >= 2 * LEASE.toSeconds() + 1);

        assertThat(state(apiA)).isEqualTo("RUNNING");
        BerthApi.Reply statusB = apiB.get("/api/v1/catalog/sync", ADMIN, PASSWORD);
        assertThat(statusB.text("state")).isEqualTo("SKIPPED");
        String holder = lease().holder();
        assertThat(holder).as("A's lease, held by A's process").contains("/" + a.pid() + "/");
        assertThat(statusB.text("message")).contains("Another Berth instance (" + holder + ") is running a full sync");
        assertThat(gateB.catalogRequests()).as("B never asked the registry for its repositories").isZero();

        BerthApi.Reply refused = apiB.post("/api/v1/catalog/sync", ADMIN, PASSWORD, java.util.Map.of());
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.text("error")).isEqualTo("conflict");
        assertThat(refused.text("message")).contains(holder).contains("Try again when it has finished");
        BerthApi.Reply runningHere = apiA.post("/api/v1/catalog/sync", ADMIN, PASSWORD, java.util.Map.of());
        assertThat(runningHere.status()).as("A's own sync is not refused: it runs").isEqualTo(202);
        assertThat(runningHere.text("state")).isEqualTo("RUNNING");

        gateA.open();

        BerthApi.Reply syncedA = succeeded(apiA, "A's sync finishing");
        assertThat(syncedA.json().path("repositoriesTotal").asInt()).isEqualTo(2);
        // The figures of the same answer that says SUCCEEDED: B starts its next run every second.
        BerthApi.Reply synced = succeeded(apiB, "B syncing once A released the lease");
        assertThat(synced.json().path("repositoriesTotal").asInt()).isEqualTo(2);
        assertThat(synced.json().path("tags").asLong()).isEqualTo(2);
        assertThat(gateB.catalogRequests()).isPositive();
    }

    @Test
    @Order(2)
    void when_the_holder_is_killed_the_other_instance_syncs_once_its_lease_expired_and_not_before() throws Exception {
        BerthApi apiA = new BerthApi(a.port());
        BerthApi apiB = new BerthApi(b.port());
        gateA.hold();
        // B syncs every second, briefly holding the lease itself: try until A gets it.
        await(Duration.ofSeconds(30), "A starting a sync", () -> apiA.post("/api/v1/catalog/sync", ADMIN, PASSWORD, java.util.Map.of()).status() == 202);
        await(Duration.ofSeconds(30), "A's sync reaching the registry", () -> gateA.waiting() == 1);
        double skippedBefore = skipped(apiB);
        await(Duration.ofSeconds(30), "B skipping while A holds the lease", () -> skipped(apiB) > skippedBefore);

        a.kill();
        Instant killed = Instant.now();
        Lease orphaned = lease();
        assertThat(orphaned).as("the lease outlives its holder").isNotNull();
        assertThat(orphaned.holder()).contains("/" + a.pid() + "/");

        await(Duration.ofSeconds(30), "B syncing after A's lease expired", () -> {
            BerthApi.Reply status = apiB.get("/api/v1/catalog/sync", ADMIN, PASSWORD);
            return "SUCCEEDED".equals(status.text("state")) && Instant.parse(status.text("finishedAt")).isAfter(killed);
        });
        Instant synced = Instant.parse(apiB.get("/api/v1/catalog/sync", ADMIN, PASSWORD).text("finishedAt"));
        assertThat(synced).as("B's sync came after the dead holder's lease ran out").isAfterOrEqualTo(orphaned.expiresAt());
        assertThat(lease()).as("B released the lease it took over").isNull();
    }

    /** Waits for a sync status that says SUCCEEDED, and returns that very answer. */
    private static BerthApi.Reply succeeded(BerthApi api, String what) {
        java.util.concurrent.atomic.AtomicReference<BerthApi.Reply> done = new java.util.concurrent.atomic.AtomicReference<>();
        await(Duration.ofSeconds(30), what, () -> {
            BerthApi.Reply reply = api.get("/api/v1/catalog/sync", ADMIN, PASSWORD);
            boolean succeeded = "SUCCEEDED".equals(reply.text("state"));
            if (succeeded) {
                done.set(reply);
            }
            return succeeded;
        });
        return done.get();
    }

    private static String state(BerthApi api) {
        return api.get("/api/v1/catalog/sync", ADMIN, PASSWORD).text("state");
    }

    private static double skipped(BerthApi api) {
        return api.metric("berth_catalog_full_sync_skipped_total", "");
    }

    private record Lease(String holder, Instant expiresAt) {
    }

    /** The unexpired full-sync lease in the shared database, or null. */
    private Lease lease() {
        try (Connection c = DriverManager.getConnection(database, "berth", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT holder, expires_at FROM work_lease WHERE name = 'catalog-full-sync' AND expires_at > now()")) {
            return rs.next() ? new Lease(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant()) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> with(List<String> shared, String... more) {
        List<String> all = new ArrayList<>(shared);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * An instance's way to the registry: passes every request through to Distribution, except that
     * while held, answers to {@code GET /v2/_catalog} - the first request of a full sync - wait.
     */
    static final class Gate implements AutoCloseable {

        private final HttpServer server;
        private final String target;
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicInteger catalogRequests = new AtomicInteger();
        private volatile CountDownLatch open = new CountDownLatch(0);

        private Gate(HttpServer server, String target) {
            this.server = server;
            this.target = target;
        }

        static Gate start(String target) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Gate gate = new Gate(server, target);
            server.createContext("/", gate::pass);
            server.start();
            return gate;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void hold() {
            open = new CountDownLatch(1);
        }

        void open() {
            open.countDown();
        }

        /** Requests for {@code _catalog} waiting now. */
        int waiting() {
            return waiting.get();
        }

        int catalogRequests() {
            return catalogRequests.get();
        }

        private void pass(HttpExchange exchange) throws IOException {
            try (exchange) {
                URI uri = exchange.getRequestURI();
                if (uri.getPath().equals("/v2/_catalog")) {
                    catalogRequests.incrementAndGet();
                    waiting.incrementAndGet();
                    try {
                        open.await(3, TimeUnit.MINUTES);
                    } finally {
                        waiting.decrementAndGet();
                    }
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
                for (String name : List.of("Authorization", "Accept")) {
                    List<String> values = exchange.getRequestHeaders().get(name);
                    if (values != null) {
                        values.forEach(value -> request.header(name, value));
                    }
                }
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().map().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding") && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                byte[] body = response.body();
                if (exchange.getRequestMethod().equals("HEAD")) {
                    response.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
                    exchange.sendResponseHeaders(response.statusCode(), -1);
                } else {
                    exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
                    exchange.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            open();
            server.stop(0);
        }
    }
}
