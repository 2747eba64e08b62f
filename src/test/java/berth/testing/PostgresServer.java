package berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started once per test JVM from the Debian package's
 * binaries ({@code apt-get install postgresql}) in a temporary directory on a free port, and
 * stopped when the JVM exits. Each test context gets a database of its own.
 */
public final class PostgresServer {

    private static PostgresServer instance;

    private final int port;
    private final Path dataDir;
    private final Path bin;
    private final boolean asPostgresUser;

    private PostgresServer(int port, Path dataDir, Path bin, boolean asPostgresUser) {
        this.port = port;
        this.dataDir = dataDir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
    }

    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A JDBC URL of a fresh database on the server. */
    public String newDatabase(String name) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "berth", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = ScratchDirectories.create("berth-postgres");
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        PostgresServer server = new PostgresServer(port, data, bin, root);
        if (root) {
            // initdb refuses to run as root; the Debian package created the postgres user.
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            run(List.of("chmod", "755", dir.toString()), false);
        }
        server.pg(List.of("initdb", "-D", data.toString(), "-U", "berth", "--auth=trust", "--encoding=UTF8", "--no-sync"));
        server.pg(List.of("pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start"));
        server.stopAfterThisJvm();
        return server;
    }

    /**
     * Stops the server once this JVM has exited ({@link AfterThisJvm}), with SIGQUIT to the postmaster (an
     * immediate stop): a shutdown hook ran beside the test contexts still closing against the server. It
     * goes by the postmaster's pid because the scratch directory, with pg_ctl's files, goes too.
     */
    private void stopAfterThisJvm() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            AfterThisJvm.run("kill -QUIT " + postmaster);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot arrange for PostgreSQL (" + dataDir + ") to stop after the tests", e);
        }
    }

    private void pg(List<String> command) {
        List<String> full = new ArrayList<>(command);
        full.set(0, bin.resolve(command.get(0)).toString());
        if (asPostgresUser) {
            full.addAll(0, List.of("runuser", "-u", "postgres", "--"));
        }
        run(full, true);
    }

    private static void run(List<String> command, boolean check) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (check && process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparing(Path::toString));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("These tests need a PostgreSQL server: install it with 'apt-get install -y postgresql'.");
    }
}
