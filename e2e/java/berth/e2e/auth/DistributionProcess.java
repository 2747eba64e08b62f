package berth.e2e.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A real CNCF Distribution ({@code docker-registry serve}) trusting Berth's token service. */
final class DistributionProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private DistributionProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static DistributionProcess start(Path dir, int port, String realm, String service, String certificatePem) throws IOException {
        RealTools.require("docker-registry");
        Path cert = dir.resolve("berth-token.crt");
        Files.writeString(cert, certificatePem);
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: berth
                    rootcertbundle: %s
                """.formatted(dir.resolve("storage"), port, realm, service, cert));
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DistributionProcess registry = new DistributionProcess(process, port, log);
        registry.awaitPort();
        return registry;
    }

    private void awaitPort() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited:\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new AssertionError("docker-registry did not open port " + port);
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
