package berth.e2e.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real CNCF Distribution ({@code /usr/bin/docker-registry serve}) on a free port, for one test
 * class. Its log goes to {@code target/distribution-<port>.log}.
 */
public final class Distribution implements AutoCloseable {

    private final int port;
    private final Path storage;
    private final Process process;

    private Distribution(int port, Path storage, Process process) {
        this.port = port;
        this.storage = storage;
        this.process = process;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Distribution on {@code port} with {@code fragment} (auth, notifications, deletes) merged
     * into a config that stores under {@code dir/storage}; waits until it answers.
     */
    public static Distribution start(int port, Path dir, String fragment) {
        Path binary = Tools.require("docker-registry");
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
            Process process = new ProcessBuilder(List.of(binary.toString(), "serve", file.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Distribution distribution = new Distribution(port, storage, process);
            distribution.awaitReady(log);
            return distribution;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log) {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 401 || response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("docker-registry did not answer on port " + port + " within 20 s; see " + log);
    }

    /** CPU seconds the registry process has used so far (user + system), from /proc. */
    public double cpuSeconds() {
        return berth.e2e.ProcessCpu.seconds(process.pid());
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port}, as skopeo's docker:// references want it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public Path storage() {
        return storage;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
