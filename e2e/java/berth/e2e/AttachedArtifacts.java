package berth.e2e;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * Attaches an OCI artifact (a signature, an SBOM) to an image as cosign and oras do: its blobs,
 * then an OCI image manifest with {@code artifactType} and {@code subject}, pushed by digest only,
 * through the registry's plain HTTP API. Works against Berth's engine and CNCF Distribution 2.8 alike.
 */
public final class AttachedArtifacts {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String registryUrl;
    private final String token;

    /** {@code registryUrl} like {@code http://127.0.0.1:5000}; {@code token} a bearer token with push on the repository. */
    public AttachedArtifacts(String registryUrl, String token) {
        this.registryUrl = registryUrl;
        this.token = token;
    }

    /** The subject as a descriptor names it. */
    public record Subject(String mediaType, String digest, long size) {
    }

    /** What was pushed: the artifact manifest's digest and its size with its blobs. */
    public record Pushed(String digest, long totalSize) {
    }

    /** Pushes an artifact of {@code artifactType} holding {@code content} onto {@code subject} in {@code repository}. */
    public Pushed attach(String repository, Subject subject, String artifactType, String layerMediaType, String content) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        String emptyDigest = pushBlob(repository, empty);
        String layerDigest = pushBlob(repository, layer);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.put("config", Map.of("mediaType", "application/vnd.oci.empty.v1+json", "digest", emptyDigest, "size", empty.length));
        manifest.put("layers", List.of(Map.of("mediaType", layerMediaType, "digest", layerDigest, "size", layer.length)));
        manifest.put("subject", Map.of("mediaType", subject.mediaType(), "digest", subject.digest(), "size", subject.size()));
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        String digest = sha256(bytes);
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(registryUrl + "/v2/" + repository + "/manifests/" + digest))
                .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        require(put, 201, "manifest PUT of the artifact");
        return new Pushed(digest, bytes.length + empty.length + layer.length);
    }

    /** Deletes the manifest {@code digest} from {@code repository}, as {@code oras manifest delete} does. */
    public void delete(String repository, String digest) {
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(registryUrl + "/v2/" + repository + "/manifests/" + digest))
                .DELETE());
        require(deleted, 202, "manifest DELETE of " + digest);
    }

    private String pushBlob(String repository, byte[] content) {
        String digest = sha256(content);
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create(registryUrl + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        require(start, 202, "blob upload start");
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(registryUrl).resolve(location);
        String separator = upload.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        require(put, 201, "blob upload of " + digest);
        return digest;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
