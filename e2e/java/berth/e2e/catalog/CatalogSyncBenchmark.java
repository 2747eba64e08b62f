package berth.e2e.catalog;

import berth.catalog.remote.DistributionConfig;
import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.e2e.ProcessCpu;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the catalog follows a real CNCF Distribution 2.8, beside how fast that Distribution
 * serves manifests at all on this machine (wrk, 8 connections, in the same run):
 * a full sync of {@code benchmark.repositories} × {@code benchmark.tags} (default 1,000 × 10),
 * the same sync again into an emptied catalog on the now warm JVM, a second full sync of the
 * unchanged registry, and push-to-catalog latency over 100 pushes.
 * Berth runs as its users run it: {@code java -jar target/berth.jar} in a process of its own with
 * the JVM's default options, started just before the first sync and driven through its API. The
 * benchmark reads and empties the catalog's tables through H2's auto-server mode, which is the only
 * setting it adds. Not part of the normal build; see README "Benchmarks" for the command. Figures
 * go to stdout and {@code target/benchmarks/catalog-sync.txt}.
 */
class CatalogSyncBenchmark {

    private static final int REPOSITORIES = Integer.getInteger("benchmark.repositories", 1000);
    private static final int TAGS = Integer.getInteger("benchmark.tags", 10);
    private static final int PUSHES = Integer.getInteger("benchmark.pushes", 100);
    private static final String SECRET = "benchmark-events-secret";
    private static final String ADMIN = BerthApi.ADMIN_EMAIL;
    private static final String PASSWORD = BerthApi.ADMIN_PASSWORD;
    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringBuilder report = new StringBuilder();
    private DistributionRegistry distribution;
    private BerthProcess berth;
    private BerthApi api;
    private Connection database;
    private Path dataDir;
    private String appkey;
    private String service;

    @Test
    void full_sync_second_sync_and_push_latency_against_distribution() throws Exception {
        Tools.require("wrk");
        Tools.require("docker-registry");
        Path work = ScratchDirectories.create("berth-catalog-benchmark");
        dataDir = work.resolve("berth-data");
        Path dir = Files.createDirectories(work.resolve("distribution"));
        try {
            seedAndMeasure(work, dir);
        } finally {
            // Hundreds of thousands of seeded files: rm takes seconds where the JVM's exit-time cleanup took over 30.
            // Also when seeding itself failed half-way.
            Tools.run(work, "rm", "-rf", dir.toString());
        }
    }

    private void seedAndMeasure(Path work, Path dir) throws Exception {
        long seedStart = System.nanoTime();
        DistributionStorageSeed seed = new DistributionStorageSeed(dir.resolve("storage"));
        int serial = 0;
        for (int r = 0; r < REPOSITORIES; r++) {
            for (int t = 0; t < TAGS; t++) {
                seed.tag(repository(r), "t" + t, serial++);
            }
        }
        line("Machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(), loadAverage());
        line("Seeded %d repositories x %d tags (%d images) into Distribution's storage in %.1f s",
                REPOSITORIES, TAGS, serial, (System.nanoTime() - seedStart) / 1e9);
        int berthPort = FreePorts.next();
        int registryPort = FreePorts.next();
        String databaseUrl = "jdbc:h2:file:" + dataDir.resolve("db/berth") + ";AUTO_SERVER=TRUE";
        try (BerthProcess started = BerthProcess.startPackaged(berthPort, dataDir, work.resolve("berth.log"), List.of(
                "--berth.registry.mode=external",
                "--berth.registry.url=http://127.0.0.1:" + registryPort,
                "--berth.registry.events-secret=" + SECRET,
                "--berth.catalog.sync-on-start=false",
                "--berth.catalog.full-sync-interval=0s",
                "--spring.datasource.url=" + databaseUrl + ";WRITE_DELAY=0"));
             Connection connection = DriverManager.getConnection(databaseUrl, "berth", "")) {
            berth = started;
            database = connection;
            api = new BerthApi(berthPort);
            Path certificate = dir.resolve("berth-token.crt");
            Files.writeString(certificate, text(api.get("/auth/certs", ADMIN, PASSWORD)));
            String fragment = text(api.get("/api/v1/registry/distribution-config", ADMIN, PASSWORD))
                    .replace(DistributionConfig.CERTIFICATE_PATH, certificate.toString());
            Matcher serviceLine = Pattern.compile("service: \"([^\"]+)\"").matcher(fragment);
            assertThat(serviceLine.find()).as(fragment).isTrue();
            service = serviceLine.group(1);
            api.createProject(ADMIN, PASSWORD, "bench");
            appkey = api.appkey(ADMIN, PASSWORD, "bench");
            distribution = DistributionRegistry.start(registryPort, dir, fragment);
            try {
                measure();
            } finally {
                distribution.close();
            }
        }
    }

    private void measure() throws Exception {
        double wrkRate = wrkManifestRate();
        line("Distribution serves manifest GETs at %.0f requests/s (wrk, 8 connections, 10 s, one tag)", wrkRate);

        double blobRate = wrkBlobRate();
        line("Distribution serves image config (blob) GETs at %.0f requests/s (wrk, 8 connections, 10 s, one config)", blobRate);

        // wrk's pulls each sent Berth a notification; let that backlog drain so the sync is timed alone.
        awaitNotificationsDrained();
        Usage cold = Usage.start(distribution, berth);
        JsonNode first = sync();
        String coldCpu = cold.finish(distribution, berth);
        assertThat(first.path("state").asString()).as(first.toString()).isEqualTo("SUCCEEDED");
        assertThat(first.path("tags").asLong()).isEqualTo((long) REPOSITORIES * TAGS);
        // The machine is shared: measure Distribution again right after, and compare with the mean.
        double wrkAfter = wrkManifestRate();
        wrkRate = (wrkRate + wrkAfter) / 2;
        line("Distribution serves manifest GETs at %.0f requests/s after the sync; mean %.0f", wrkAfter, wrkRate);
        fullSync("First full sync, Berth just started", first, coldCpu, wrkRate, blobRate);

        // A JVM that just started spends much of its CPU compiling. Empty the catalog by hand and sync the
        // same registry into it again: the same requests and the same writes as a first sync, on a warmer JVM.
        try (Statement statement = database.createStatement()) {
            statement.executeUpdate("DELETE FROM catalog_tag");
            statement.executeUpdate("DELETE FROM catalog_repository");
            statement.executeUpdate("DELETE FROM catalog_manifest");
        }
        awaitNotificationsDrained();
        Usage warmUsage = Usage.start(distribution, berth);
        JsonNode warm = sync();
        String warmCpu = warmUsage.finish(distribution, berth);
        assertThat(warm.path("state").asString()).as(warm.toString()).isEqualTo("SUCCEEDED");
        assertThat(warm.path("manifestsFetched").asLong()).isEqualTo(first.path("manifestsFetched").asLong());
        fullSync("The same full sync again into an emptied catalog, same JVM", warm, warmCpu, wrkRate, blobRate);

        double notificationsBefore = awaitNotificationsDrained();
        Usage unchangedUsage = Usage.start(distribution, berth);
        JsonNode second = sync();
        String unchangedCpu = unchangedUsage.finish(distribution, berth);
        double notificationsDuring = awaitNotificationsDrained() - notificationsBefore;
        assertThat(second.path("state").asString()).as(second.toString()).isEqualTo("SUCCEEDED");
        assertThat(second.path("manifestsFetched").asLong()).as("an unchanged registry costs no manifest GET").isZero();
        double seconds = second.path("seconds").asDouble();
        double rate = second.path("requestsPerSecond").asDouble();
        line("Second full sync (unchanged; a conditional GET per tag, answered 304): %d requests in %.1f s = %.0f requests/s (%.0f%% of Distribution's manifest rate), %.0f tags/s (%.1fx faster than the repeated first); Distribution sent %.0f notifications for it; CPU %s",
                second.path("registryRequests").asLong(), seconds, rate, 100 * rate / wrkRate,
                second.path("tags").asLong() / seconds, warm.path("seconds").asDouble() / seconds, notificationsDuring, unchangedCpu);

        pushLatency();
        Path out = Path.of("target", "benchmarks", "catalog-sync.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    /** Starts a full sync through the API and polls its status until it has finished; returns the final status. */
    private JsonNode sync() throws InterruptedException {
        BerthApi.Reply started = api.post("/api/v1/catalog/sync", ADMIN, PASSWORD, java.util.Map.of());
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        while (true) {
            // Each poll costs Berth a password check; one a second keeps that out of the figures.
            Thread.sleep(1000);
            BerthApi.Reply status = api.get("/api/v1/catalog/sync", ADMIN, PASSWORD);
            assertThat(status.status()).as(status.raw()).isEqualTo(200);
            if (!"RUNNING".equals(status.text("state"))) {
                return status.json();
            }
        }
    }

    private void fullSync(String what, JsonNode status, String cpu, double wrkRate, double blobRate) {
        long requests = status.path("registryRequests").asLong();
        double seconds = status.path("seconds").asDouble();
        double rate = status.path("requestsPerSecond").asDouble();
        long tags = status.path("tags").asLong();
        line("%s: %d repositories, %d tags, %d manifests+configs fetched, %d requests in %.1f s = %.0f requests/s (%.0f%% of Distribution's manifest rate), %.0f tags/s; CPU %s",
                what, status.path("repositoriesDone").asInt(), tags, status.path("manifestsFetched").asLong(), requests, seconds,
                rate, 100 * rate / wrkRate, tags / seconds, cpu);
        // Every seeded image has its own config, so a first sync GETs one config blob per tag; the rest are
        // manifest GETs and tag lists. What Distribution alone could serve of that mix, from the wrk rates:
        double blobShare = (double) REPOSITORIES * TAGS / requests;
        double mixRate = 1 / (blobShare / blobRate + (1 - blobShare) / wrkRate);
        line("... Distribution's own rate for that mix (%.0f%% config GETs) is %.0f requests/s; the sync reached %.0f%% of it",
                100 * blobShare, mixRate, 100 * rate / mixRate);
    }

    /** CPU seconds of Distribution and of Berth (with its JIT compilers' and GC's share) from a starting point. */
    private record Usage(double registry, ProcessCpu berth) {
        static Usage start(DistributionRegistry distribution, BerthProcess berth) {
            return new Usage(distribution.cpuSeconds(), ProcessCpu.of(berth.pid()));
        }

        String finish(DistributionRegistry distribution, BerthProcess process) {
            ProcessCpu used = ProcessCpu.of(process.pid()).minus(berth);
            return String.format(Locale.ROOT, "Distribution %.1f s, Berth %.1f s (JIT compilers %.1f s, GC %.1f s, the rest %.1f s)",
                    distribution.cpuSeconds() - registry, used.total(), used.compiler(), used.gc(), used.work());
        }
    }

    private static String text(BerthApi.Reply reply) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.raw();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String repository(int r) {
        return String.format(Locale.ROOT, "bench/repo-%05d", r);
    }

    /** Waits until no notification has arrived for a second; returns how many arrived in all. */
    private double awaitNotificationsDrained() throws InterruptedException {
        long start = System.nanoTime();
        double seen = -1;
        double now = notificationsReceived();
        while (now != seen) {
            seen = now;
            Thread.sleep(1000);
            now = notificationsReceived();
        }
        line("Waited %.1f s for Distribution's queue of notifications to drain (%.0f received in all)", (System.nanoTime() - start) / 1e9, now);
        return now;
    }

    /** Notifications Berth has answered so far, from its own metrics. */
    private double notificationsReceived() {
        String metrics = text(api.get("/actuator/prometheus", ADMIN, PASSWORD));
        return metrics.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/api/registry/events\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** A registry token from Berth's token service, as the admin's Appkey gets it. */
    private String token(String repository, String actions) {
        String scope = URLEncoder.encode("repository:" + repository + ":" + actions, StandardCharsets.UTF_8);
        BerthApi.Reply reply = api.token(ADMIN, appkey, "service=" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "&scope=" + scope);
        text(reply);
        String token = reply.text("token");
        assertThat(token).as(reply.raw()).isNotEmpty();
        return token;
    }

    /** Distribution's own manifest rate: wrk GETting one tag's manifest, with a token for that repository (the catalog's name ten). */
    private double wrkManifestRate() {
        return wrkRate("/manifests/t0");
    }

    /** Distribution's own rate for image configs: wrk GETting the config blob of one tag. */
    private double wrkBlobRate() throws IOException, InterruptedException {
        String repository = repository(0);
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(URI.create(distribution.url() + "/v2/" + repository + "/manifests/t0"))
                .header("Accept", ACCEPT).header("Authorization", "Bearer " + token(repository, "pull")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher config = Pattern.compile("\"config\":\\{[^}]*\"digest\":\"(sha256:[0-9a-f]{64})\"").matcher(manifest.body());
        assertThat(config.find()).as(manifest.body()).isTrue();
        return wrkRate("/blobs/" + config.group(1));
    }

    private double wrkRate(String path) {
        String repository = repository(0);
        String output = Tools.run(dataDir.getParent(), "wrk", "-t2", "-c8", "-d10s",
                "-H", "Accept: " + ACCEPT, "-H", "Authorization: Bearer " + token(repository, "pull"),
                distribution.url() + "/v2/" + repository + path);
        Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        assertThat(output).doesNotContain("Non-2xx");
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Pushes {@value #PUSHES} new tags the way a client does once the layers are there (a new
     * config blob, then the manifest) and times from the manifest PUT's 201 until the tag is in the
     * catalog's table - which Berth learns from Distribution's notification, never from a full sync.
     */
    private void pushLatency() throws Exception {
        String repository = "bench/pushed";
        String token = token(repository, "pull,push");
        byte[] layer = "pushed layer".getBytes(StandardCharsets.UTF_8);
        String layerDigest = upload(repository, token, layer);
        List<Long> micros = new ArrayList<>();
        try (PreparedStatement catalogued = database.prepareStatement(
                "SELECT COUNT(*) FROM catalog_tag t JOIN catalog_repository r ON t.repository_id = r.id WHERE r.name = ? AND t.name = ?")) {
            for (int i = 0; i < PUSHES; i++) {
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-01-01T00:00:00Z\",\"config\":{\"Env\":[\"PUSH=" + i
                        + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
                String configDigest = upload(repository, token, config);
                byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":"
                        + "[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
                        .getBytes(StandardCharsets.UTF_8);
                String tag = "p" + i;
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(distribution.url() + "/v2/" + repository + "/manifests/" + tag))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
                long pushed = System.nanoTime();
                catalogued.setString(1, repository);
                catalogued.setString(2, tag);
                while (!present(catalogued)) {
                    if (System.nanoTime() - pushed > 10_000_000_000L) {
                        throw new AssertionError("push " + tag + " did not reach the catalog within 10 s");
                    }
                    Thread.sleep(1);
                }
                micros.add((System.nanoTime() - pushed) / 1000);
            }
        }
        micros.sort(Long::compare);
        long p50 = micros.get(micros.size() / 2);
        long p95 = micros.get((int) Math.ceil(micros.size() * 0.95) - 1);
        line("Push-to-catalog over %d pushes (manifest PUT answered -> tag in the catalog): p50 %d ms, p95 %d ms, max %d ms",
                micros.size(), p50 / 1000, p95 / 1000, micros.getLast() / 1000);
    }

    private static boolean present(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }

    private String upload(String repository, String token, byte[] content) throws IOException, InterruptedException {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256(content));
        HttpResponse<Void> started = http.send(HttpRequest.newBuilder(URI.create(distribution.url() + "/v2/" + repository + "/blobs/uploads/"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI put = URI.create(distribution.url()).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        return digest;
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println("[benchmark] " + text);
        report.append(text).append('\n');
    }
}
