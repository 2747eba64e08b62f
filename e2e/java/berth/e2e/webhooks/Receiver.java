package berth.e2e.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server): keeps every request it gets. {@code /hook}
 * answers 204; {@code /redirect} answers 302 to {@code /target}, which a webhook must not follow.
 * Stopped, its port refuses connections, as a receiver that is down does.
 */
final class Receiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request as it arrived. */
    record Delivery(Instant at, String path, String signature, String deliveryId, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        boolean signedWith(String secret) {
            return signature.equals("sha256=" + hmac(secret, body));
        }
    }

    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;

    Receiver(int port) {
        this.port = port;
    }

    Receiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            received.add(new Delivery(Instant.now(), path,
                    String.valueOf(exchange.getRequestHeaders().getFirst("X-Berth-Signature")),
                    String.valueOf(exchange.getRequestHeaders().getFirst("X-Berth-Delivery")),
                    new String(body, StandardCharsets.UTF_8)));
            if (path.equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/target");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
        return this;
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    List<Delivery> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} requests match, at most {@code timeout}; returns them. */
    List<Delivery> await(Predicate<Delivery> matching, int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Delivery> found = received.stream().filter(matching).toList();
            if (found.size() >= count || Instant.now().isAfter(deadline)) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
