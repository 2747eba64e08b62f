package berth.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A server a test runs as a process of its own (Berth, CNCF Distribution, S3Proxy): its output goes to
 * a log, it is ready once a probe says so, and it is stopped politely before it is stopped by force.
 * Every such server fails to start the same way: naming itself, with the end of its log.
 */
public final class ServerProcess implements AutoCloseable {

    /** Asks a starting server whether it serves yet; an {@link IOException} means not yet (not listening). */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws IOException, InterruptedException;

        /** Ready when {@code GET url} answers one of {@code statuses}. */
        static Probe answers(String url, int... statuses) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return () -> {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                return IntStream.of(statuses).anyMatch(ready -> ready == status);
            };
        }

        /** Ready when it accepts a connection on {@code port}. */
        static Probe listening(int port) {
            return () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                }
            };
        }
    }

    private static final Duration BETWEEN_PROBES = Duration.ofMillis(100);
    private static final int TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command}, its output and errors added to the end of {@code log}, and returns once
     * {@code probe} says it is ready. Fails when it exits first or is not ready {@code within}; it is
     * then killed.
     */
    public static ServerProcess start(String name, List<String> command, Path log, Duration within, Probe probe) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServerProcess server = new ServerProcess(name, process, log);
        server.awaitReady(within, probe);
        return server;
    }

    private void awaitReady(Duration within, Probe probe) throws IOException {
        Instant deadline = Instant.now().plus(within);
        try {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " during start-up; its log ends:\n" + tail());
                }
                try {
                    if (probe.ready()) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(BETWEEN_PROBES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while " + name + " was starting", e);
        }
        process.destroyForcibly();
        throw new AssertionError(name + " was not ready within " + within.toSeconds() + " s; its log ends:\n" + tail());
    }

    public Process process() {
        return process;
    }

    /** The whole log. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** The last lines of its log, for an assertion's message. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** {@link #stop} with ten seconds' grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
