package berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Small images pushed to and pulled from a Berth's {@code /v2/} as a client does: a config of its own
 * per image (so each tag has a digest of its own) over one small layer per repository.
 */
public final class TagPushes {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";

    /** HTTP/1.1, as registry clients speak it (no h2c upgrade offer). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;

    public TagPushes(String base) {
        this.base = base;
    }

    /** A pushed manifest: its digest, its bytes and their size. */
    public record Pushed(String digest, long size, byte[] manifest) {
    }

    /** Pushes an image whose config names {@code name}. */
    public Pushed push(String repository, String tag, String name, String token) {
        Pushed image = image(repository, name, token);
        tag(repository, tag, image.manifest(), token);
        return image;
    }

    /** Uploads the blobs of an image whose config names {@code name}, and returns its manifest, not pushed yet. */
    public Pushed image(String repository, String name, String token) {
        byte[] layer = layer(repository);
        byte[] config = config(name);
        blob(repository, layer, token);
        blob(repository, config, token);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return new Pushed(sha256(manifest), manifest.length, manifest);
    }

    /** The manifest's, its config's and its layer's bytes: what its descriptors say it is made of. */
    public static long imageBytes(String repository, String name, Pushed image) {
        return image.size() + layer(repository).length + config(name).length;
    }

    private static byte[] layer(String repository) {
        return ("the layer of " + repository).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] config(String name) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"name\":\"" + name
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes a multi-platform index over {@code platforms} (pushed already, by digest) under {@code tag}. */
    public Pushed index(String repository, String tag, List<Pushed> platforms, String token) {
        StringBuilder children = new StringBuilder();
        for (int i = 0; i < platforms.size(); i++) {
            children.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(MANIFEST).append("\",\"digest\":\"")
                    .append(platforms.get(i).digest()).append("\",\"size\":").append(platforms.get(i).size())
                    .append(",\"platform\":{\"architecture\":\"arch").append(i).append("\",\"os\":\"linux\"}}");
        }
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + children + "]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", INDEX).PUT(HttpRequest.BodyPublishers.ofByteArray(index)), token);
        if (put.statusCode() != 201) {
            throw new AssertionError("PUT index " + repository + ":" + tag + " answered " + put.statusCode() + ": " + put.body());
        }
        return new Pushed(sha256(index), index.length, index);
    }

    /** A GET of the manifest {@code reference} (tag or digest) as a client asks for it. */
    public HttpResponse<String> manifest(String repository, String reference, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + reference))
                .header("Accept", MANIFEST + ", " + INDEX).GET(), token);
    }

    /** Points {@code tag} at a manifest whose blobs the repository holds already: one PUT. */
    public void tag(String repository, String tag, byte[] manifest, String token) {
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), token);
        if (put.statusCode() != 201) {
            throw new AssertionError("PUT manifest " + repository + ":" + tag + " answered " + put.statusCode() + ": " + put.body());
        }
    }

    public void pull(String repository, String tag, String token) {
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + tag))
                .header("Accept", MANIFEST).GET(), token);
        if (get.statusCode() != 200) {
            throw new AssertionError("GET manifest " + repository + ":" + tag + " answered " + get.statusCode() + ": " + get.body());
        }
    }

    /** The tags the registry lists for the repository (none when it has no such repository). */
    public List<String> tags(String repository, String token) {
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/tags/list?n=100000")).GET(), token);
        if (get.statusCode() == 404) {
            return List.of();
        }
        if (get.statusCode() != 200) {
            throw new AssertionError("tags/list of " + repository + " answered " + get.statusCode() + ": " + get.body());
        }
        List<String> tags = new ArrayList<>();
        JsonNode listed = JSON.readTree(get.body()).path("tags");
        listed.forEach(t -> tags.add(t.asString()));
        return tags;
    }

    /** The REST API's one-tag delete, as a script would call it. */
    public int deleteTag(String repository, String tag, String basicAuthorization) {
        int slash = repository.indexOf('/');
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/projects/" + repository.substring(0, slash) + "/repositories/"
                        + repository.substring(slash + 1) + "/tags/" + tag))
                .header("Authorization", basicAuthorization).DELETE(), null).statusCode();
    }

    private void blob(String repository, byte[] content, String token) {
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/blobs/uploads/?digest=" + sha256(content)))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(content)), token);
        if (post.statusCode() != 201) {
            throw new AssertionError("blob upload to " + repository + " answered " + post.statusCode() + ": " + post.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tag a bulk push gives its {@code j}-th tag: {@code b0000}, {@code b0001}, ... */
    public static String bulkTag(int j) {
        return "b%04d".formatted(j);
    }

    /** {@code tags} tags in each repository, over ten images per repository, from eight pushers. */
    public void pushBulk(List<String> repositories, int tags, String token) throws Exception {
        try (var pushers = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> pushes = new java.util.ArrayList<>();
            for (String repository : repositories) {
                pushes.add(pushers.submit(() -> {
                    List<byte[]> images = new java.util.ArrayList<>();
                    for (int m = 0; m < 10; m++) {
                        images.add(push(repository, bulkTag(m), repository + " image " + m, token).manifest());
                    }
                    for (int j = 10; j < tags; j++) {
                        tag(repository, bulkTag(j), images.get(j % 10), token);
                    }
                    return null;
                }));
            }
            for (var push : pushes) {
                push.get();
            }
        }
    }
}
