package berth.e2e;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test images built without Docker: umoci makes an OCI image layout, skopeo moves it. Each image
 * is a directory {@code layout} holding one tag; {@link #contentOf} reads back what a layout holds
 * for a tag, to prove a round trip byte-identical.
 */
public final class TestImages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestImages() {
    }

    /**
     * Fails now, naming the tool, when umoci or skopeo is missing: before a test starts Berth or a
     * registry only to find it cannot make or move an image.
     */
    public static void requireTools() {
        Tools.require("skopeo");
        Tools.require("umoci");
    }

    /** An OCI image layout and the tag in it. */
    public record Image(Path layout, String tag) {
        /** The skopeo reference, {@code oci:<dir>:<tag>}. */
        public String oci() {
            return "oci:" + layout + ":" + tag;
        }
    }

    /** An image with one layer holding {@code files} (path to text). */
    public static Image withFiles(Path workDir, String tag, Map<String, String> files) {
        return build(workDir, tag, rootfs -> {
            for (var file : files.entrySet()) {
                Path target = rootfs.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
        });
    }

    /** An image with one layer holding {@code bytes} of random (incompressible) data, seeded for reproducibility. */
    public static Image withRandomLayer(Path workDir, String tag, long bytes, long seed) {
        return build(workDir, tag, rootfs -> writeRandom(rootfs.resolve("random.bin"), bytes, seed));
    }

    /**
     * What a Java build pushes: an image of {@code file} at {@code /app}, which it runs, built by Jib
     * and pushed to {@code reference} over plain HTTP as {@code user} with {@code appkey}.
     */
    public static JibContainer pushWithJib(Path file, String reference, String user, String appkey) throws Exception {
        // Jib refuses to send credentials over plain HTTP unless told it may.
        System.setProperty("sendCredentialsOverHttp", "true");
        return Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("/app/" + file.getFileName())
                .containerize(Containerizer.to(RegistryImage.named(reference).addCredential(user, appkey)).setAllowInsecureRegistries(true));
    }

    /** Writes {@code bytes} of random (incompressible) data, seeded for reproducibility, to {@code file}. */
    public static void writeRandom(Path file, long bytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    @FunctionalInterface
    public interface RootfsWriter {
        void write(Path rootfs) throws IOException;
    }

    public static Image build(Path workDir, String tag, RootfsWriter content) {
        try {
            Path dir = Files.createTempDirectory(workDir, "image-");
            Path layout = dir.resolve("layout");
            Path bundle = dir.resolve("bundle");
            umoci("init", "--layout", layout.toString());
            umoci("new", "--image", layout + ":" + tag);
            umoci("unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString());
            content.write(bundle.resolve("rootfs"));
            umoci("repack", "--image", layout + ":" + tag, bundle.toString());
            deleteTree(bundle);
            return new Image(layout, tag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a layout holds for a tag: the manifest digest and every blob it references (config and
     * layers) with the SHA-256 of the bytes on disk - equal maps mean byte-identical images.
     */
    public static Map<String, String> contentOf(Path layout, String tag) {
        try {
            JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
            String manifestDigest = null;
            for (JsonNode entry : index.path("manifests")) {
                if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
                    manifestDigest = entry.path("digest").asString();
                }
            }
            if (manifestDigest == null) {
                throw new AssertionError("layout " + layout + " has no tag " + tag);
            }
            Map<String, String> content = new TreeMap<>();
            content.put("manifest", manifestDigest);
            List<String> digests = new ArrayList<>();
            digests.add(manifestDigest);
            JsonNode manifest = JSON.readTree(blob(layout, manifestDigest).toFile());
            digests.add(manifest.path("config").path("digest").asString());
            manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asString()));
            for (String digest : digests) {
                content.put(digest, sha256(blob(layout, digest)));
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest digest a layout's tag points at. */
    public static String manifestDigest(Path layout, String tag) {
        return contentOf(layout, tag).get("manifest");
    }

    public static Path blob(Path layout, String digest) {
        String[] parts = digest.split(":", 2);
        return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
    }

    public static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest hash = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                hash.update(buffer, 0, read);
            }
            return "sha256:" + HexFormat.of().formatHex(hash.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void umoci(String... args) {
        List<String> command = new ArrayList<>(List.of("umoci"));
        command.addAll(List.of(args));
        Tools.run(command).requireSuccess("umoci " + args[0]);
    }

    /**
     * An OCI image layout built with umoci, and what is in it (digests, sizes, created time,
     * layers), so a test can compare the catalog with the truth.
     */
    public static final class Layout {


        private static final JsonMapper LAYOUT_JSON = JsonMapper.builder().build();

        private final Path layout;

        private Layout(Path layout) {
            this.layout = layout;
        }

        /** A new image layout in {@code dir}. */
        public static Layout in(Path dir) {
            Path layout = dir.resolve("layout");
            if (!Files.exists(layout)) {
                Tools.run(dir, "umoci", "init", "--layout", layout.toString());
                Tools.run(dir, "umoci", "new", "--image", layout + ":empty");
            }
            return new Layout(layout);
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
            ObjectNode index = LAYOUT_JSON.createObjectNode();
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
            byte[] bytes = LAYOUT_JSON.writeValueAsBytes(index);
            String digest = writeBlob(bytes);
            ObjectNode layoutIndex = (ObjectNode) read(layout.resolve("index.json"));
            ObjectNode ref = layoutIndex.withArray("manifests").addObject();
            ref.put("mediaType", "application/vnd.oci.image.index.v1+json");
            ref.put("digest", digest);
            ref.put("size", bytes.length);
            ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
            write(layout.resolve("index.json"), LAYOUT_JSON.writeValueAsBytes(layoutIndex));
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
                return LAYOUT_JSON.readTree(Files.readAllBytes(file));
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
}
