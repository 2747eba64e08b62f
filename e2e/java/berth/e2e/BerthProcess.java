package berth.e2e;

import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Berth started as a separate JVM from the test's own classpath - a process a test can kill with
 * {@code kill -9} ({@link #kill()}) and start again on the same data directory.
 */
public final class BerthProcess implements AutoCloseable {

    /**
     * Where a test runs Berth as a process, the same each time it starts it again after a kill: a free
     * port, and a data directory and a log in a scratch directory of the test's own.
     */
    public record Place(Path work, Path data, Path log, int port) {

        /** A new scratch directory named after {@code prefix}, holding {@code data/} and {@code berth.log}. */
        public static Place fresh(String prefix) {
            Path work = ScratchDirectories.create(prefix);
            return new Place(work, work.resolve("data"), work.resolve("berth.log"), FreePorts.next());
        }

        /** Starts Berth here, with more Spring arguments as {@link BerthProcess#start(int, Path, Path, List)}. */
        public BerthProcess start(List<String> arguments) throws IOException {
            return BerthProcess.start(port, data, log, arguments);
        }
    }

    private final ServerProcess server;
    private final Process process;
    private final int port;

    private BerthProcess(ServerProcess server, int port) {
        this.server = server;
        this.process = server.process();
        this.port = port;
    }

    /** Starts Berth with the test profile (its administrator) on {@code port} and {@code dataDir}; waits until it serves. */
    public static BerthProcess start(int port, Path dataDir, Path log) throws IOException {
        return start(port, dataDir, log, List.of());
    }

    /** As {@link #start(int, Path, Path)}, with more Spring arguments ({@code --key=value}), e.g. another database or storage. */
    public static BerthProcess start(int port, Path dataDir, Path log, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "berth.BerthApplication",
                "--spring.profiles.active=test",
                "--vaadin.productionMode=true"));
        return launch(command, port, dataDir, log, arguments);
    }

    /**
     * Berth as its users run it, for benchmarks: {@code java -jar target/berth.jar} with the JVM's
     * default options and no test profile; the administrator is the test one, set by argument.
     * {@code -Dbenchmark.jvmOptions="..."} adds JVM options, e.g. a flight recording to see where the time goes.
     */
    public static BerthProcess startPackaged(int port, Path dataDir, Path log, List<String> arguments) throws IOException {
        Path jar = Path.of("target", "berth.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("No " + jar + ": run the benchmark through ./mvnw verify, which packages Berth first");
        }
        List<String> command = new ArrayList<>(List.of(java()));
        String jvmOptions = System.getProperty("benchmark.jvmOptions", "").strip();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(),
                "--berth.admin.email=" + BerthApi.ADMIN_EMAIL,
                "--berth.admin.password=" + BerthApi.ADMIN_PASSWORD));
        return launch(command, port, dataDir, log, arguments);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static BerthProcess launch(List<String> command, int port, Path dataDir, Path log, List<String> arguments) throws IOException {
        command.addAll(List.of(
                "--server.port=" + port,
                "--berth.data-dir=" + dataDir,
                "--berth.public-url=http://127.0.0.1:" + port));
        command.addAll(arguments);
        ServerProcess server = ServerProcess.start("Berth", command, log, Duration.ofMinutes(4),
                ServerProcess.Probe.answers("http://127.0.0.1:" + port + "/actuator/health/readiness", 200));
        return new BerthProcess(server, port);
    }

    public int port() {
        return port;
    }

    /** The process id, as Berth names itself in what it shares with other instances (e.g. the full-sync lease). */
    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no graceful anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** {@code kill -TERM}, as an orchestrator stops a container; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** The exit status of a process that ended. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Whether the process ended within {@code timeout}. */
    public boolean exited(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(30));
    }

    /** The last lines of its log, for an assertion's message. */
    public String tail() throws IOException {
        return server.tail();
    }
}
