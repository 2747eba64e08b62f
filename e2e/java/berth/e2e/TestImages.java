package berth.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test images built without Docker: umoci makes an OCI image layout, skopeo moves it. Each image
 * is a directory {@code layout} holding one tag; {@link #contentOf} reads back what a layout holds
 * for a tag, to prove a round trip byte-identical.
 */
public final class TestImages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestImages() {
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
        return build(workDir, tag, rootfs -> {
            Random random = new Random(seed);
            byte[] chunk = new byte[1 << 20];
            try (OutputStream out = Files.newOutputStream(rootfs.resolve("random.bin"))) {
                for (long left = bytes; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        });
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
}
