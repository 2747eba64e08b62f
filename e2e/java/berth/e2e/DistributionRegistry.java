package berth.e2e;

import berth.testing.FreePorts;
import berth.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real CNCF Distribution ({@code docker-registry serve}), the one launcher every test uses:
 * without authentication on a storage directory of the test's choosing (the compatibility tests
 * share Berth's), or with a config fragment of Berth's (token auth, notifications) for the catalog
 * and token tests. Ready when {@code GET /v2/} answers 200 or 401.
 *
 * @param server the {@code docker-registry} process
 * @param port where it listens on 127.0.0.1
 * @param storage the directory it stores under
 */
public record DistributionRegistry(ServerProcess server, int port, Path storage) implements AutoCloseable {

    /** Starts Distribution without auth, with deletes on, storing under {@code root}. */
    public static DistributionRegistry start(Path root, Path workDir) throws IOException {
        int port = FreePorts.next();
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
            // A log of an earlier run on the same port would only mislead.
            Files.deleteIfExists(log);
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
        Files.writeString(config, config(root, FreePorts.next(), ""));
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
        List<String> command = List.of(Tools.require("docker-registry").toString(), "serve", config.toString());
        ServerProcess server = ServerProcess.start("docker-registry", command, log, Duration.ofSeconds(30),
                ServerProcess.Probe.answers("http://127.0.0.1:" + port + "/v2/", 200, 401));
        return new DistributionRegistry(server, port, storage);
    }

    /** CPU seconds the registry process has used so far (user + system), from /proc. */
    public double cpuSeconds() {
        return ProcessCpu.seconds(server.process().pid());
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

    public String log() throws IOException {
        return server.log();
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(10));
    }
}
