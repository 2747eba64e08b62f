package berth.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real CNCF Distribution ({@code docker-registry serve}) without authentication, on a storage
 * directory of the test's choosing - the same directory Berth uses, for the compatibility tests.
 */
public final class DistributionRegistry implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private DistributionRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts {@code docker-registry serve} with {@code storage.filesystem.rootdirectory = root}. */
    public static DistributionRegistry start(Path root, Path workDir) throws IOException {
        Tools.require("docker-registry");
        int port = freePort();
        Path config = config(root, port, workDir);
        Path log = Files.createTempFile(workDir, "distribution-", ".log");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(process, port, log);
        registry.awaitPort();
        return registry;
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
        Tools.require("docker-registry");
        Path config = config(root, freePort(), workDir);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("docker-registry", "garbage-collect"));
        if (deleteUntagged) {
            command.add("--delete-untagged");
        }
        command.add(config.toString());
        return Tools.run(command).requireSuccess("docker-registry garbage-collect").output();
    }

    /**
     * {@code docker-registry garbage-collect --dry-run} (with {@code --delete-untagged} when asked) on
     * the storage at {@code root}: what it would delete, nothing deleted. Fails when it fails.
     */
    public static String garbageCollectDryRun(Path root, Path workDir, boolean deleteUntagged) throws IOException {
        Tools.require("docker-registry");
        Path config = config(root, freePort(), workDir);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("docker-registry", "garbage-collect", "--dry-run"));
        if (deleteUntagged) {
            command.add("--delete-untagged");
        }
        command.add(config.toString());
        return Tools.run(command).requireSuccess("docker-registry garbage-collect --dry-run").output();
    }

    private static Path config(Path root, int port, Path workDir) throws IOException {
        Path config = Files.createTempFile(workDir, "distribution-", ".yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root, port));
        return config;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitPort() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited:\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new AssertionError("docker-registry did not open port " + port + ":\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
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
