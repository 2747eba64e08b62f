package berth.e2e.catalog;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.catalog.Catalog;
import berth.catalog.CatalogSync;
import berth.catalog.DistributionConfig;
import berth.oci.Access;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the catalog follows a real CNCF Distribution 2.8, beside how fast that Distribution
 * serves manifests at all on this machine (wrk, 8 connections, in the same run):
 * a full sync of {@code benchmark.repositories} × {@code benchmark.tags} (default 1,000 × 10),
 * the same sync again into an emptied catalog on the now warm JVM, a second full sync of the
 * unchanged registry, and push-to-catalog latency over 100 pushes.
 * Not part of the normal build; see README "Benchmarks" for the command. Figures go to stdout and
 * {@code target/benchmarks/catalog-sync.txt}.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class CatalogSyncBenchmark {

    private static final int REPOSITORIES = Integer.getInteger("benchmark.repositories", 1000);
    private static final int TAGS = Integer.getInteger("benchmark.tags", 10);
    private static final int PUSHES = Integer.getInteger("benchmark.pushes", 100);
    private static final String SECRET = "benchmark-events-secret";
    private static final int BERTH_PORT = Distribution.freePort();
    private static final int REGISTRY_PORT = Distribution.freePort();
    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";
    private static Path dataDir;
    private static Distribution distribution;

    @Autowired
    DistributionConfig distributionConfig;

    @Autowired
    RegistryTokens tokens;

    @Autowired
    CatalogSync sync;

    @Autowired
    Catalog catalog;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringBuilder report = new StringBuilder();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        dataDir = ScratchDirectories.create("berth-catalog-benchmark");
        registry.add("berth.data-dir", () -> dataDir.toString());
        registry.add("server.port", () -> BERTH_PORT);
        registry.add("berth.public-url", () -> "http://127.0.0.1:" + BERTH_PORT);
        registry.add("berth.registry.mode", () -> "external");
        registry.add("berth.registry.url", () -> "http://127.0.0.1:" + REGISTRY_PORT);
        registry.add("berth.registry.events-secret", () -> SECRET);
        registry.add("berth.catalog.sync-on-start", () -> "false");
        registry.add("berth.catalog.full-sync-interval", () -> "0s");
    }

    @AfterAll
    static void stop() {
        if (distribution != null) {
            distribution.close();
        }
    }

    @Test
    void full_sync_second_sync_and_push_latency_against_distribution() throws Exception {
        Tools.require("wrk");
        Path dir = Files.createDirectories(dataDir.resolve("distribution"));
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
        Path certificate = dir.resolve("berth-token.crt");
        Files.writeString(certificate, distributionConfig.certificatePem());
        distribution = Distribution.start(REGISTRY_PORT, dir, distributionConfig.fragment(certificate.toString()));

        double wrkRate = wrkManifestRate();
        line("Distribution serves manifest GETs at %.0f requests/s (wrk, 8 connections, 10 s, one tag)", wrkRate);

        double blobRate = wrkBlobRate();
        line("Distribution serves image config (blob) GETs at %.0f requests/s (wrk, 8 connections, 10 s, one config)", blobRate);

        // wrk's pulls each sent Berth a notification; let that backlog drain so the sync is timed alone.
        awaitNotificationsDrained();
        Usage cold = Usage.start(distribution);
        CatalogSync.SyncStatus first = sync.runNow();
        String coldCpu = cold.finish(distribution);
        assertThat(first.state()).as(String.valueOf(first.message())).isEqualTo("SUCCEEDED");
        assertThat(first.tags()).isEqualTo((long) REPOSITORIES * TAGS);
        // The machine is shared: measure Distribution again right after, and compare with the mean.
        double wrkAfter = wrkManifestRate();
        wrkRate = (wrkRate + wrkAfter) / 2;
        line("Distribution serves manifest GETs at %.0f requests/s after the sync; mean %.0f", wrkAfter, wrkRate);
        fullSync("First full sync, Berth just started", first, coldCpu, wrkRate, blobRate);

        // A JVM that just started spends much of its CPU compiling. Empty the catalog by hand and sync the
        // same registry into it again: the same requests and the same writes as a first sync, on a warmer JVM.
        jdbc.update("DELETE FROM catalog_tag");
        jdbc.update("DELETE FROM catalog_repository");
        jdbc.update("DELETE FROM catalog_manifest");
        awaitNotificationsDrained();
        Usage warmUsage = Usage.start(distribution);
        CatalogSync.SyncStatus warm = sync.runNow();
        String warmCpu = warmUsage.finish(distribution);
        assertThat(warm.state()).as(String.valueOf(warm.message())).isEqualTo("SUCCEEDED");
        assertThat(warm.manifestsFetched()).isEqualTo(first.manifestsFetched());
        fullSync("The same full sync again into an emptied catalog, same JVM", warm, warmCpu, wrkRate, blobRate);

        double notificationsBefore = awaitNotificationsDrained();
        Usage unchangedUsage = Usage.start(distribution);
        CatalogSync.SyncStatus second = sync.runNow();
        String unchangedCpu = unchangedUsage.finish(distribution);
        double notificationsDuring = awaitNotificationsDrained() - notificationsBefore;
        assertThat(second.state()).isEqualTo("SUCCEEDED");
        assertThat(second.manifestsFetched()).as("an unchanged registry costs no manifest GET").isZero();
        line("Second full sync (unchanged; a conditional GET per tag, answered 304): %d requests in %.1f s = %.0f requests/s (%.0f%% of Distribution's manifest rate), %.0f tags/s (%.1fx faster than the repeated first); Distribution sent %.0f notifications for it; CPU %s",
                second.registryRequests(), second.seconds(), second.requestsPerSecond(), 100 * second.requestsPerSecond() / wrkRate,
                second.tags() / second.seconds(), warm.seconds() / second.seconds(), notificationsDuring, unchangedCpu);

        pushLatency();
        Path out = Path.of("target", "benchmarks", "catalog-sync.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private void fullSync(String what, CatalogSync.SyncStatus status, String cpu, double wrkRate, double blobRate) {
        line("%s: %d repositories, %d tags, %d manifests+configs fetched, %d requests in %.1f s = %.0f requests/s (%.0f%% of Distribution's manifest rate), %.0f tags/s; CPU %s",
                what, status.repositoriesDone(), status.tags(), status.manifestsFetched(), status.registryRequests(), status.seconds(),
                status.requestsPerSecond(), 100 * status.requestsPerSecond() / wrkRate, status.tags() / status.seconds(), cpu);
        // Every seeded image has its own config, so a first sync GETs one config blob per tag; the rest are
        // manifest GETs and tag lists. What Distribution alone could serve of that mix, from the wrk rates:
        double blobShare = (double) REPOSITORIES * TAGS / status.registryRequests();
        double mixRate = 1 / (blobShare / blobRate + (1 - blobShare) / wrkRate);
        line("... Distribution's own rate for that mix (%.0f%% config GETs) is %.0f requests/s; the sync reached %.0f%% of it",
                100 * blobShare, mixRate, 100 * status.requestsPerSecond() / mixRate);
    }

    /** CPU seconds of Distribution and of Berth (this JVM) from a starting point. */
    private record Usage(double registry, double berth) {
        static Usage start(Distribution distribution) {
            return new Usage(distribution.cpuSeconds(), berthCpuSeconds());
        }

        String finish(Distribution distribution) {
            return String.format(Locale.ROOT, "Distribution %.1f s, Berth %.1f s", distribution.cpuSeconds() - registry, berthCpuSeconds() - berth);
        }
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

    private double notificationsReceived() {
        io.micrometer.core.instrument.Timer timer = meters.find("http.server.requests").tag("uri", "/api/registry/events").timer();
        return timer == null ? 0 : timer.count();
    }

    private static double berthCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Distribution's own manifest rate: wrk GETting one tag's manifest, with a token for that repository (the catalog's name ten). */
    private double wrkManifestRate() {
        return wrkRate("/manifests/t0");
    }

    /** Distribution's own rate for image configs: wrk GETting the config blob of one tag. */
    private double wrkBlobRate() throws IOException, InterruptedException {
        String repository = repository(0);
        String token = tokens.issue("wrk", List.of(Access.repository(repository, Set.of(Access.PULL)))).token();
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(URI.create(distribution.url() + "/v2/" + repository + "/manifests/t0"))
                .header("Accept", ACCEPT).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        Matcher config = Pattern.compile("\"config\":\\{[^}]*\"digest\":\"(sha256:[0-9a-f]{64})\"").matcher(manifest.body());
        assertThat(config.find()).as(manifest.body()).isTrue();
        return wrkRate("/blobs/" + config.group(1));
    }

    private double wrkRate(String path) {
        String repository = repository(0);
        String token = tokens.issue("wrk", List.of(Access.repository(repository, Set.of(Access.PULL)))).token();
        String output = Tools.run(dataDir, "wrk", "-t2", "-c8", "-d10s",
                "-H", "Accept: " + ACCEPT, "-H", "Authorization: Bearer " + token,
                distribution.url() + "/v2/" + repository + path);
        Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        assertThat(output).doesNotContain("Non-2xx");
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Pushes {@value #PUSHES}-ish new tags the way a client does once the layers are there (a new
     * config blob, then the manifest) and times from the manifest PUT's 201 until the catalog has the
     * tag - which it learns from Distribution's notification, never from a full sync.
     */
    private void pushLatency() throws Exception {
        String repository = "bench/pushed";
        String token = tokens.issue("pusher", List.of(Access.repository(repository, Set.of(Access.PULL, Access.PUSH)))).token();
        byte[] layer = "pushed layer".getBytes(StandardCharsets.UTF_8);
        String layerDigest = upload(repository, token, layer);
        List<Long> micros = new ArrayList<>();
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
            while (catalog.tag(repository, tag).isEmpty()) {
                if (System.nanoTime() - pushed > 10_000_000_000L) {
                    throw new AssertionError("push " + tag + " did not reach the catalog within 10 s");
                }
                Thread.sleep(1);
            }
            micros.add((System.nanoTime() - pushed) / 1000);
        }
        micros.sort(Long::compare);
        long p50 = micros.get(micros.size() / 2);
        long p95 = micros.get((int) Math.ceil(micros.size() * 0.95) - 1);
        line("Push-to-catalog over %d pushes (manifest PUT answered -> tag in the catalog): p50 %d ms, p95 %d ms, max %d ms",
                micros.size(), p50 / 1000, p95 / 1000, micros.getLast() / 1000);
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
