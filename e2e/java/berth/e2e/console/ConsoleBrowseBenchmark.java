package berth.e2e.console;

import berth.catalog.Catalog;
import berth.testing.BerthApi;
import berth.testing.InProcessBerth;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the console's reads hold up at scale: 100,000 tags across 5,000 repositories seeded into the
 * catalog, then p50/p95 of what the repository list, a tag page sorted by push time and a tag's
 * details cost on the server - through the catalog service the views call, and through the REST API
 * over HTTP. Not part of the normal build; see README "Benchmarks".
 */
@InProcessBerth(data = "berth-console-benchmark")
class ConsoleBrowseBenchmark {

    private static final int REPOSITORIES = Integer.getInteger("benchmark.repositories", 5000);
    private static final int TAGS_PER_REPOSITORY = Integer.getInteger("benchmark.tagsPerRepository", 20);
    private static final int SAMPLES = Integer.getInteger("benchmark.samples", 300);
    private static final String PROJECT = "bench";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Catalog catalog;

    @LocalServerPort
    int port;

    @Test
    void browsing_100000_tags() {
        long seedStart = System.nanoTime();
        seed();
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        BerthApi api = new BerthApi(port);
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        Random random = new Random(7);

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "seeded %,d repositories x %d tags = %,d tags in %.1f s",
                REPOSITORIES, TAGS_PER_REPOSITORY, REPOSITORIES * TAGS_PER_REPOSITORY, seedSeconds));
        lines.add(measure("service: first page of repositories (last push)", i ->
                assertThat(catalog.repositories(ADMIN_EMAIL, PROJECT, null, Catalog.RepositorySort.LAST_PUSH, true, 0, 50).getContent()).hasSize(50)));
        lines.add(measure("service: repositories filtered by name", i ->
                catalog.repositories(ADMIN_EMAIL, PROJECT, "app-" + random.nextInt(REPOSITORIES / 10), Catalog.RepositorySort.NAME, false, 0, 50)));
        lines.add(measure("service: tag page sorted by pushed at", i ->
                assertThat(catalog.tags(ADMIN_EMAIL, new berth.oci.RepositoryName(repo(random)), null, Catalog.TagSort.PUSHED_AT, true, 0, 50).orElseThrow().getContent())
                        .hasSize(Math.min(50, TAGS_PER_REPOSITORY))));
        lines.add(measure("service: tag details", i ->
                assertThat(catalog.tag(ADMIN_EMAIL, new berth.oci.RepositoryName(repo(random)), "v" + random.nextInt(TAGS_PER_REPOSITORY))).isPresent()));
        lines.add(measure("http: GET repositories?sort=lastPush", i -> assertThat(api.get("/api/v1/projects/" + PROJECT
                + "/repositories?sort=lastPush&direction=desc&size=50", ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200)));
        lines.add(measure("http: GET tags?sort=pushedAt", i -> assertThat(api.get("/api/v1/projects/" + PROJECT
                + "/repositories/" + repo(random).substring(PROJECT.length() + 1) + "/tags?sort=pushedAt&direction=desc&size=50",
                ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200)));
        lines.add(measure("http: GET tag details", i -> assertThat(api.get("/api/v1/projects/" + PROJECT + "/repositories/"
                + repo(random).substring(PROJECT.length() + 1) + "/tags/v" + random.nextInt(TAGS_PER_REPOSITORY),
                ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200)));
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long max = Runtime.getRuntime().maxMemory();
        lines.add(String.format(Locale.ROOT, "heap: %d MiB used after GC, peak of pools %d MiB, max heap %d MiB",
                used >> 20, peak >> 20, max >> 20));
        lines.forEach(System.out::println);
        try {
            Files.createDirectories(Path.of("target/benchmarks"));
            Files.write(Path.of("target/benchmarks/console-browse.txt"), lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String repo(Random random) {
        return PROJECT + "/app-" + random.nextInt(REPOSITORIES);
    }

    private static String measure(String what, IntConsumer call) {
        for (int i = 0; i < 30; i++) {
            call.accept(i);
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return String.format(Locale.ROOT, "%-48s p50 %6.2f ms   p95 %6.2f ms   max %6.2f ms", what,
                nanos[SAMPLES / 2] / 1e6, nanos[(int) (SAMPLES * 0.95)] / 1e6, nanos[SAMPLES - 1] / 1e6);
    }

    /** Straight into the catalog's tables, in batches: each tag its own two-layer image. */
    private void seed() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        HexFormat hex = HexFormat.of();
        Random random = new Random(42);
        List<Object[]> repositories = new ArrayList<>();
        for (int r = 0; r < REPOSITORIES; r++) {
            Timestamp last = Timestamp.from(base.plusSeconds((long) r * TAGS_PER_REPOSITORY * 60 + TAGS_PER_REPOSITORY * 60L));
            repositories.add(new Object[] {PROJECT + "/app-" + r, PROJECT, TAGS_PER_REPOSITORY,
                    (long) TAGS_PER_REPOSITORY * 30_000_000L, Timestamp.from(base), last});
        }
        jdbc.batchUpdate("insert into catalog_repository (name, project, tag_count, total_size, created_at, last_push_at) values (?, ?, ?, ?, ?, ?)",
                repositories);
        List<Long> ids = jdbc.queryForList("select id from catalog_repository order by id", Long.class);
        List<Object[]> manifests = new ArrayList<>();
        List<Object[]> layers = new ArrayList<>();
        List<Object[]> tags = new ArrayList<>();
        byte[] bytes = new byte[32];
        for (int r = 0; r < REPOSITORIES; r++) {
            for (int t = 0; t < TAGS_PER_REPOSITORY; t++) {
                random.nextBytes(bytes);
                String digest = "sha256:" + hex.formatHex(bytes);
                Timestamp at = Timestamp.from(base.plusSeconds(((long) r * TAGS_PER_REPOSITORY + t) * 60));
                manifests.add(new Object[] {digest, "application/vnd.oci.image.manifest.v1+json", 700L, 30_000_000L,
                        "sha256:" + hex.formatHex(bytes).replace('a', 'b'), "application/vnd.oci.image.config.v1+json", at,
                        "linux", "amd64", "[\"/app\"]", "[\"--serve\"]", "[\"MODE=prod\"]", "{\"team\":\"bench\"}", "[\"8080/tcp\"]", "1000"});
                layers.add(new Object[] {digest, 0, "sha256:" + hex.formatHex(bytes).replace('c', 'd'), 20_000_000L,
                        "application/vnd.oci.image.layer.v1.tar+gzip"});
                layers.add(new Object[] {digest, 1, "sha256:" + hex.formatHex(bytes).replace('e', 'f'), 9_999_300L,
                        "application/vnd.oci.image.layer.v1.tar+gzip"});
                tags.add(new Object[] {ids.get(r), "v" + t, digest, "application/vnd.oci.image.manifest.v1+json", 30_000_000L,
                        "linux/amd64", at, 0L, at});
            }
            if (manifests.size() >= 10_000 || r == REPOSITORIES - 1) {
                flush(manifests, layers, tags);
            }
        }
    }

    private void flush(List<Object[]> manifests, List<Object[]> layers, List<Object[]> tags) {
        jdbc.batchUpdate("insert into catalog_manifest (digest, media_type, size, total_size, config_digest, config_media_type, created_at,"
                + " os, architecture, entrypoint, cmd, env, labels, exposed_ports, config_user) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                manifests);
        jdbc.batchUpdate("insert into catalog_manifest_layer (manifest_digest, position, digest, size, media_type) values (?, ?, ?, ?, ?)", layers);
        jdbc.batchUpdate("insert into catalog_tag (repository_id, name, digest, media_type, size, platforms, pushed_at, pull_count, observed_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)", tags);
        manifests.clear();
        layers.clear();
        tags.clear();
    }

}
