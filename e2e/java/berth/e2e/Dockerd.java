package berth.e2e;

import berth.e2e.TestImages.Image;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A private Docker engine for one test class: its own data root, exec root, pid file, socket and
 * client configuration in a temporary directory, so it neither sees nor touches another engine on
 * the machine, and a {@code docker login} stays out of anyone's {@code ~/.docker}. The machine runs
 * containers without a bridge or iptables, so containers use {@code --network host}; images come
 * from skopeo ({@link #load(Image, String)}), as there is no Docker Hub. {@link #close()} leaves
 * nothing behind: daemon, containerd and shims ended, mounts undone, directory deleted - also when
 * the JVM exits without it (a shutdown hook). Storage is overlay2, or vfs where the kernel refuses overlay.
 */
public final class Dockerd implements AutoCloseable {

    private static final String PACKAGE = "docker.io";
    /** The client of the same package as the daemon: another {@code docker} earlier on the PATH may speak a newer API. */
    private static final String CLIENT = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Process daemon;
    private final Path log;
    private final Thread shutdownHook = new Thread(this::stop, "dockerd-teardown");
    private boolean stopped;

    private Dockerd(Path root, Process daemon, Path log) {
        this.root = root;
        this.daemon = daemon;
        this.log = log;
    }

    /** Starts the engine and returns once it answers; fails naming {@code docker.io} when the tools are missing. */
    public static Dockerd start() throws IOException {
        Tools.require("dockerd", PACKAGE);
        Tools.require(CLIENT, PACKAGE);
        Tools.require("ctr", PACKAGE);
        try {
            return start("overlay2");
        } catch (AssertionError overlayRefused) {
            // vfs works everywhere; it copies every layer in full, so loading and starting take longer.
            return start("vfs");
        }
    }

    private static Dockerd start(String storageDriver) throws IOException {
        // Short: the sockets' paths must fit in 108 bytes.
        Path root = ScratchDirectories.create("dockerd-");
        Files.createDirectories(root.resolve("config"));
        Path log = root.resolve("dockerd.log");
        Process daemon = new ProcessBuilder("dockerd",
                "-H", "unix://" + root.resolve("docker.sock"),
                "--data-root", root.resolve("root").toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("docker.pid").toString(),
                // No iptables and no bridge here: containers use the host's network.
                "--storage-driver=" + storageDriver, "--iptables=false", "--ip-masq=false", "--bridge=none")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Dockerd dockerd = new Dockerd(root, daemon, log);
        Runtime.getRuntime().addShutdownHook(dockerd.shutdownHook);
        try {
            dockerd.awaitReady();
        } catch (RuntimeException | Error e) {
            dockerd.close();
            throw e;
        }
        return dockerd;
    }

    /** {@code docker <args>} against this engine. */
    public Tools.Result docker(String... args) {
        return dockerWithInput(null, args);
    }

    /** {@code docker <args>} with {@code input} on standard input, e.g. for {@code login --password-stdin}. */
    public Tools.Result dockerWithInput(@Nullable String input, String... args) {
        List<String> command = new ArrayList<>(List.of(CLIENT, "-H", "unix://" + root.resolve("docker.sock")));
        command.addAll(List.of(args));
        return Tools.run(command, Map.of("DOCKER_CONFIG", root.resolve("config").toString()), input);
    }

    /** {@code ctr <args>} against the containerd this engine started, in the namespace {@code berth-test}. */
    public Tools.Result ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "-a", containerdSocket().toString(), "-n", "berth-test"));
        command.addAll(List.of(args));
        return Tools.run(command);
    }

    /** Gives the engine an image built with umoci, named {@code reference}: skopeo writes a docker-archive, {@code docker load} reads it. */
    public void load(Image image, String reference) {
        Path archive = root.resolve("load-" + System.nanoTime() + ".tar");
        Tools.run(Tools.skopeo("copy", image.oci(), "docker-archive:" + archive + ":" + reference))
                .requireSuccess("skopeo copy to a docker-archive");
        load(archive);
        try {
            Files.delete(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docker load -i archive}; returns what it printed ("Loaded image: …"). */
    public String load(Path archive) {
        return docker("load", "-i", archive.toString()).requireSuccess("docker load of " + archive).output();
    }

    public Path containerdSocket() {
        return root.resolve("exec/containerd/containerd.sock");
    }

    /** The daemon's log, for a failing test's message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no dockerd log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run: nothing to remove
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            // SIGTERM: dockerd stops its containers (their own SIGTERM first), then its containerd.
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
            // A killed daemon leaves containerd and the shims (daemons of their own, not its children) running.
            for (ProcessHandle process : processesUsing(root)) {
                // The shim's children are the containers' processes; killed before it so none is left orphaned.
                List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
                family.add(process);
                for (ProcessHandle member : family) {
                    member.destroyForcibly();
                    member.onExit().get(10, TimeUnit.SECONDS);
                }
            }
            unmountAllUnder(root);
            TestImages.deleteTree(root);
        } catch (Exception e) {
            throw new IllegalStateException("Could not tear down the test's dockerd in " + root + ": " + e, e);
        }
    }

    /** Every process whose command line names a path under {@code root}: containerd, its shims and their containers' init. */
    private static List<ProcessHandle> processesUsing(Path root) {
        String marker = root.toString() + "/";
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .toList();
    }

    /** Mounts dockerd made under {@code root} (container {@code /dev/shm}, network namespaces), deepest first. */
    private static void unmountAllUnder(Path root) throws IOException {
        List<String> mountPoints = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // Field 5 is the mount point, with spaces and the like written as octal escapes.
            String mountPoint = line.split(" ")[4];
            if (mountPoint.equals(root.toString()) || mountPoint.startsWith(root + "/")) {
                mountPoints.add(mountPoint);
            }
        }
        mountPoints.sort(Comparator.comparingInt(String::length).reversed());
        for (String mountPoint : mountPoints) {
            Tools.run(List.of("umount", "-l", mountPoint)).requireSuccess("umount " + mountPoint);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited during start-up (exit " + daemon.exitValue() + "):\n" + logTail());
            }
            if (Files.exists(root.resolve("docker.sock")) && Files.exists(containerdSocket()) && docker("version").exit() == 0) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("dockerd did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }
}
