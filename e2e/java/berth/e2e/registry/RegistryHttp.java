package berth.e2e.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry API spoken by hand, request by request, for the protocol tests. */
final class RegistryHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ACCEPT_ALL = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    RegistryHttp(String base) {
        this.base = base;
    }

    /**
     * A pull-and-push token for the test administrator, through the token service with their
     * Appkey of the repository's project, as {@code docker login} gets one.
     */
    static String adminToken(berth.testing.BerthApi api, String repository) {
        String appkey = api.appkey(berth.testing.BerthApi.ADMIN_EMAIL, berth.testing.BerthApi.ADMIN_PASSWORD, repository.split("/")[0]);
        berth.testing.BerthApi.Reply reply = api.token(berth.testing.BerthApi.ADMIN_EMAIL, appkey,
                "service=berth-registry&scope=repository:" + repository + ":pull,push");
        if (reply.status() != 200) {
            throw new AssertionError("the token service answered " + reply.status() + ": " + reply.raw());
        }
        return reply.text("token");
    }

    /** A response with its body as bytes, and the OCI error code if it is an error body. */
    record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        /** The code of the first error, or "" if the body is no OCI error. */
        String errorCode() {
            try {
                return json().path("errors").path(0).path("code").asString("");
            } catch (RuntimeException e) {
                return "";
            }
        }

        String errorMessage() {
            return json().path("errors").path(0).path("message").asString("");
        }
    }

    Reply send(String method, String path, @Nullable String token, @Nullable byte[] body, String... headers) {
        String url = path.startsWith("http") ? path : base + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException closed) {
                // A pooled connection the server had closed while idle: the request never reached it. Sent
                // once more on a new connection, as Docker's and containerd's Go transport does with
                // requests on a reused connection that died before any answer.
                if (closed.getMessage() == null || !closed.getMessage().contains("received no bytes")) {
                    throw closed;
                }
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request written byte for byte on a socket, for paths {@link URI} will not carry (a raw
     * backslash). HTTP/1.1 with {@code Connection: close}; the body is what comes before the close.
     */
    Reply sendRaw(String method, String rawPath, @Nullable String token, byte @Nullable [] body) {
        URI address = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(address.getHost(), address.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: " + address.getAuthority()
                    + "\r\nConnection: close\r\nContent-Length: " + (body == null ? 0 : body.length) + "\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            var out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            byte[] response = socket.getInputStream().readAllBytes();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no complete response head for " + method + " " + rawPath + ": " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            java.util.Map<String, java.util.List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), java.util.Arrays.copyOfRange(response, end + 4, response.length),
                    java.net.http.HttpHeaders.of(headers, (name, value) -> true));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Reply get(String path, @Nullable String token, String... headers) {
        return send("GET", path, token, null, headers);
    }

    /** Pushes a blob monolithically and returns its digest. */
    String pushBlob(String repository, byte[] content, String token) {
        String digest = sha256(content);
        Reply reply = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, token, content,
                "Content-Type", "application/octet-stream");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return digest;
    }

    Reply putManifest(String repository, String reference, String mediaType, byte[] manifest, String token) {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, token, manifest, "Content-Type", mediaType);
    }

    /**
     * Pushes an OCI image index tagged {@code tag} over two manifests already in {@code repository}:
     * the one tagged {@code amd64} for linux/amd64, the one tagged {@code arm64} for linux/arm64.
     */
    Reply putIndex(String repository, String tag, String amd64, String arm64, String token) {
        List<Map<String, Object>> children = new java.util.ArrayList<>();
        for (String child : List.of(amd64, arm64)) {
            Reply manifest = get("/v2/" + repository + "/manifests/" + child, token, "Accept", ACCEPT_ALL);
            children.add(Map.of("mediaType", manifest.header("Content-Type"), "digest", manifest.header("Docker-Content-Digest"),
                    "size", manifest.body().length, "platform", Map.of("architecture", child.equals(amd64) ? "amd64" : "arm64", "os", "linux")));
        }
        byte[] index = JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
                "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", children));
        return putManifest(repository, tag, "application/vnd.oci.image.index.v1+json", index, token);
    }

    /** Pushes a config and one layer, then an OCI image manifest; returns the manifest bytes. */
    byte[] pushImage(String repository, String tag, String layerText, String token) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"x\":\""
                + layerText + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        byte[] manifest = imageManifest(pushBlob(repository, config, token), config.length,
                pushBlob(repository, layer, token), layer.length, null);
        Reply reply = putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest, token);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return manifest;
    }

    /** An image's config naming {@code name}, so every image made with its own name is distinct. */
    static byte[] config(String name) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"name\":\"" + name + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI image manifest for {@code config} and {@code layers}, given as their bytes. */
    static byte[] imageManifest(byte[] config, List<byte[]> layers) {
        List<Map<String, Object>> descriptors = new java.util.ArrayList<>();
        for (byte[] layer : layers) {
            descriptors.add(Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar", "digest", sha256(layer), "size", layer.length));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", sha256(config), "size", config.length));
        manifest.put("layers", descriptors);
        return JSON.writeValueAsBytes(manifest);
    }

    static byte[] imageManifest(String configDigest, long configSize, String layerDigest, long layerSize, @Nullable Map<String, Object> extra) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", configDigest, "size", configSize));
        manifest.put("layers", List.of(Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar", "digest", layerDigest, "size", layerSize)));
        if (extra != null) {
            manifest.putAll(extra);
        }
        return JSON.writeValueAsBytes(manifest);
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Location header made absolute. */
    String absolute(String location) {
        return location.startsWith("http") ? location : base + location;
    }
}
