package berth.e2e.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds small OCI images with umoci in an image layout, and tells what is in them (digests, sizes,
 * created time, layers) so a test can compare the catalog with the truth.
 */
public final class TestImages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path layout;

    private TestImages(Path layout) {
        this.layout = layout;
    }

    /** A new image layout in {@code dir}. */
    public static TestImages in(Path dir) {
        Path layout = dir.resolve("layout");
        if (!Files.exists(layout)) {
            Tools.run(dir, "umoci", "init", "--layout", layout.toString());
            Tools.run(dir, "umoci", "new", "--image", layout + ":empty");
        }
        return new TestImages(layout);
    }

    public Path layout() {
        return layout;
    }

    /** A layer as the manifest lists it. */
    public record Layer(String digest, long size, String mediaType) {
    }

    /** One image: manifest and config and layers, as stored in the layout. */
    public record Image(String tag, String digest, long manifestSize, String configDigest, long configSize, Instant created,
                        String os, String architecture, List<Layer> layers) {

        /** What pulling it downloads: manifest, config and layers. */
        public long totalSize() {
            return manifestSize + configSize + layers.stream().mapToLong(Layer::size).sum();
        }
    }

    /** A two-platform index and its images. */
    public record Index(String tag, String digest, long size, List<Image> platforms) {

        public long totalSize() {
            return size + platforms.stream().mapToLong(Image::totalSize).sum();
        }
    }

    /** An image for {@code architecture} with one layer holding {@code content}, and a config that says how it runs. */
    public Image image(String tag, String architecture, String content) {
        Path dir = layout.getParent();
        Path bundle = dir.resolve("bundle-" + tag);
        Tools.run(dir, "umoci", "unpack", "--rootless", "--image", layout + ":empty", bundle.toString());
        try {
            Files.createDirectories(bundle.resolve("rootfs/etc"));
            Files.writeString(bundle.resolve("rootfs/etc/berth-test"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tools.run(dir, "umoci", "repack", "--image", layout + ":" + tag, bundle.toString());
        Tools.run(dir, "umoci", "config", "--image", layout + ":" + tag,
                "--os", "linux", "--architecture", architecture,
                "--config.entrypoint", "/bin/berth-test", "--config.cmd", "--serve",
                "--config.env", "MODE=test", "--config.label", "org.example.team=berth",
                "--config.exposedports", "8080/tcp", "--config.user", "1000");
        return describe(tag);
    }

    /** An index of an amd64 and an arm64 image, tagged {@code tag} in the layout. */
    public Index twoPlatformIndex(String tag, String content) {
        Image amd64 = image(tag + "-amd64", "amd64", content + " on amd64");
        Image arm64 = image(tag + "-arm64", "arm64", content + " on arm64");
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        var manifests = index.putArray("manifests");
        for (Image image : List.of(amd64, arm64)) {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            entry.put("digest", image.digest());
            entry.put("size", image.manifestSize());
            entry.putObject("platform").put("architecture", image.architecture()).put("os", image.os());
        }
        byte[] bytes = JSON.writeValueAsBytes(index);
        String digest = writeBlob(bytes);
        ObjectNode layoutIndex = (ObjectNode) read(layout.resolve("index.json"));
        ObjectNode ref = layoutIndex.withArray("manifests").addObject();
        ref.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ref.put("digest", digest);
        ref.put("size", bytes.length);
        ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        write(layout.resolve("index.json"), JSON.writeValueAsBytes(layoutIndex));
        return new Index(tag, digest, bytes.length, List.of(amd64, arm64));
    }

    /** What the layout holds under {@code tag}. */
    public Image describe(String tag) {
        JsonNode descriptor = null;
        for (JsonNode entry : read(layout.resolve("index.json")).get("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
                descriptor = entry;
            }
        }
        if (descriptor == null) {
            throw new AssertionError("no tag " + tag + " in " + layout);
        }
        String digest = descriptor.get("digest").asString();
        JsonNode manifest = read(blob(digest));
        JsonNode configRef = manifest.get("config");
        JsonNode config = read(blob(configRef.get("digest").asString()));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
            layers.add(new Layer(layer.get("digest").asString(), layer.get("size").asLong(), layer.get("mediaType").asString()));
        }
        return new Image(tag, digest, descriptor.get("size").asLong(), configRef.get("digest").asString(),
                configRef.get("size").asLong(), Instant.parse(config.get("created").asString()),
                config.get("os").asString(), config.get("architecture").asString(), layers);
    }

    private Path blob(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private String writeBlob(byte[] bytes) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            write(layout.resolve("blobs/sha256").resolve(hex), bytes);
            return "sha256:" + hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
