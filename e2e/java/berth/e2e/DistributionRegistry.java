package berth.e2e;

import berth.testing.FreePorts;
import berth.testing.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF Distribution ({@code docker-registry serve}), the one launcher every test uses:
 * without authentication on a storage directory of the test's choosing (the compatibility tests
 * share Berth's), or with a config fragment of Berth's (token auth, notifications) for the catalog
 * and token tests. Ready when {@code GET /v2/} answers 200 or 401.
 */
public final class DistributionRegistry implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path storage;
    private final Path log;

    private DistributionRegistry(Process process, int port, Path storage, Path log) {
        this.process = process;
        this.port = port;
        this.storage = storage;
        this.log = log;
    }

    /**
     * The settings of a Berth (started by a Spring test on {@code berthPort}, data under {@code dataDir})
     * in front of a Distribution on {@code registryPort} that sends it events with {@code eventsSecret};
     * catalog syncs only when a test asks.
     */
    public static void berthInFront(org.springframework.test.context.DynamicPropertyRegistry registry, Path dataDir, int berthPort,
                                    int registryPort, String eventsSecret) {
        TestSettings.of(registry).data(dataDir).port(berthPort).catalogSyncOnlyWhenAsked()
                .set("berth.registry.mode", "external")
                .set("berth.registry.url", "http://127.0.0.1:" + registryPort)
                .set("berth.registry.public-url", "http://127.0.0.1:" + registryPort)
                .set("berth.registry.events-secret", eventsSecret);
    }

    /** A port nobody listens on right now. */
    public static int freePort() {
        return FreePorts.next();
    }

    /** Starts Distribution without auth, with deletes on, storing under {@code root}. */
    public static DistributionRegistry start(Path root, Path workDir) throws IOException {
        int port = freePort();
        Path config = Files.createTempFile(workDir, "distribution-", ".yml");
        Files.writeString(config, config(root, port, "  accesslog:\n    disabled: true\n"));
        return launch(config, port, root, Files.createTempFile(workDir, "distribution-", ".log"));
    }

    /**
     * Starts Distribution on {@code port} with {@code fragment} (auth, notifications, deletes) merged
     * into a config that stores under {@code dir/storage}; its log goes to {@code target/distribution-<port>.log}.
     */
    public static DistributionRegistry start(int port, Path dir, String fragment) {
        try {
            Path storage = Files.createDirectories(dir.resolve("storage"));
            String config = """
                    version: 0.1
                    log:
                      level: warn
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(port)
                    + fragment.replace("storage:\n", "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n");
            Path file = dir.resolve("config.yml");
            Files.writeString(file, config);
            Path log = Path.of("target", "distribution-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            return launch(file, port, storage, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code docker-registry garbage-collect} on the storage at {@code root}: every blob no
     * manifest of any repository references goes. Returns what it printed; fails when it fails.
     */
    public static String garbageCollect(Path root, Path workDir) throws IOException {
        return garbageCollect(root, workDir, false);
    }

    /** As {@link #garbageCollect(Path, Path)}, with {@code --delete-untagged} when asked. */
    public static String garbageCollect(Path root, Path workDir, boolean deleteUntagged) throws IOException {
        return collect(root, workDir, deleteUntagged, false);
    }

    /**
     * {@code docker-registry garbage-collect --dry-run} (with {@code --delete-untagged} when asked) on
     * the storage at {@code root}: what it would delete, nothing deleted. Fails when it fails.
     */
    public static String garbageCollectDryRun(Path root, Path workDir, boolean deleteUntagged) throws IOException {
        return collect(root, workDir, deleteUntagged, true);
    }

    private static String collect(Path root, Path workDir, boolean deleteUntagged, boolean dryRun) throws IOException {
        Path config = Files.createTempFile(workDir, "distribution-", ".yml");
        Files.writeString(config, config(root, freePort(), ""));
        List<String> command = new java.util.ArrayList<>(List.of(Tools.require("docker-registry").toString(), "garbage-collect"));
        if (dryRun) {
            command.add("--dry-run");
        }
        if (deleteUntagged) {
            command.add("--delete-untagged");
        }
        command.add(config.toString());
        return Tools.run(command).requireSuccess(String.join(" ", command.subList(1, command.size() - 1))).output();
    }

    private static String config(Path root, int port, String logExtra) {
        return """
                version: 0.1
                log:
                  level: warn
                %sstorage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(logExtra, root, port);
    }

    private static DistributionRegistry launch(Path config, int port, Path storage, Path log) throws IOException {
        Path binary = Tools.require("docker-registry");
        Process process = new ProcessBuilder(List.of(binary.toString(), "serve", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(process, port, storage, log);
        registry.awaitReady();
        return registry;
    }

    private void awaitReady() throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(100);
        }
        throw new AssertionError("docker-registry did not answer on port " + port + " within 30 s; see " + log);
    }

    /** CPU seconds the registry process has used so far (user + system), from /proc. */
    public double cpuSeconds() {
        return ProcessCpu.seconds(process.pid());
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port}, as skopeo's docker:// references want it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@link #address()}, the name the catalog tests use. */
    public String host() {
        return address();
    }

    public Path storage() {
        return storage;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
