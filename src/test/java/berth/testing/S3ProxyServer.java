package berth.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3 API for the tests: S3Proxy ({@code org.gaul:s3proxy}) on a free port, storing objects
 * in a temporary directory (jclouds' {@code filesystem} provider). It runs as a separate JVM from
 * the self-contained jar that the build copies to {@code target/s3proxy/s3proxy.jar}, because its
 * Jetty 11 and jclouds cannot share a classpath with Spring Boot 4's Jetty 12 management. One
 * server per test JVM, stopped when the JVM exits; each test makes buckets of its own.
 *
 * @param port where it listens on 127.0.0.1
 * @param directory where the objects of bucket {@code b} lie as files: {@code <directory>/b/<key>}
 */
public record S3ProxyServer(int port, Path directory) {

    public static final String ACCESS_KEY = "berth-test-access";
    public static final String SECRET_KEY = "berth-test-secret";
    private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

    private static S3ProxyServer instance;

    public static synchronized S3ProxyServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A new empty bucket, created on the filesystem the provider serves (it lists directories as buckets). */
    public String newBucket(String name) {
        try {
            Files.createDirectories(directory.resolve(name));
            return name;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Spring arguments that point Berth at {@code bucket} on this server. */
    public List<String> berthArguments(String bucket, String prefix) {
        return List.of("--berth.storage.driver=s3", "--berth.storage.s3.bucket=" + bucket, "--berth.storage.s3.prefix=" + prefix,
                "--berth.storage.s3.endpoint=" + endpoint(), "--berth.storage.s3.path-style=true",
                "--berth.storage.s3.access-key=" + ACCESS_KEY, "--berth.storage.s3.secret-key=" + SECRET_KEY);
    }

    private static S3ProxyServer start() {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("S3Proxy is missing at " + JAR.toAbsolutePath() + ": the build copies it there in the "
                    + "generate-test-resources phase; run the tests with ./mvnw verify (or ./mvnw generate-test-resources first).");
        }
        try {
            Path directory = ScratchDirectories.create("berth-s3proxy");
            Path objects = Files.createDirectories(directory.resolve("buckets"));
            int port = FreePorts.next();
            Path properties = directory.resolve("s3proxy.properties");
            Files.writeString(properties, """
                    s3proxy.endpoint=http://127.0.0.1:%d
                    s3proxy.authorization=aws-v2-or-v4
                    s3proxy.identity=%s
                    s3proxy.credential=%s
                    jclouds.provider=filesystem
                    jclouds.filesystem.basedir=%s
                    """.formatted(port, ACCESS_KEY, SECRET_KEY, objects));
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = directory.resolve("s3proxy.log");
            ServerProcess server = ServerProcess.start("S3Proxy",
                    List.of(java, "-Xmx512m", "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString()),
                    log, Duration.ofSeconds(60), ServerProcess.Probe.listening(port));
            Runtime.getRuntime().addShutdownHook(new Thread(server.process()::destroy));
            return new S3ProxyServer(port, objects);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Proxy for the tests", e);
        }
    }
}
