package berth.e2e.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fills a CNCF Distribution filesystem storage directly in its on-disk layout
 * ({@code registry/storage/paths.go}): thousands of repositories in seconds instead of an hour of
 * pushes. Every tag gets its own image (own config, own manifest, one shared layer), so a first
 * sync must fetch a manifest and a config per tag, as it would for a real registry.
 */
final class DistributionStorageSeed {

    private final Path v2;
    private final byte[] layer = "a layer every seeded image shares".getBytes(StandardCharsets.UTF_8);
    private final String layerDigest;

    DistributionStorageSeed(Path storageRoot) {
        this.v2 = storageRoot.resolve("docker/registry/v2");
        this.layerDigest = writeBlob(layer);
    }

    /** One tag of one repository, pointing at an image of its own; returns the manifest's digest. */
    String tag(String repository, String tag, int serial) {
        String config = """
                {"created":"2026-01-01T00:00:%02d.%06dZ","architecture":"amd64","os":"linux",\
                "config":{"Env":["SERIAL=%d"],"Cmd":["/bin/serve"],"Labels":{"seed":"%s:%s"}},\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(serial % 60, serial % 1_000_000, serial, repository, tag, layerDigest);
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = writeBlob(configBytes);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(configDigest, configBytes.length, layerDigest, layer.length);
        String manifestDigest = writeBlob(manifest.getBytes(StandardCharsets.UTF_8));
        Path repo = v2.resolve("repositories").resolve(repository);
        link(repo.resolve("_layers").resolve(path(layerDigest)), layerDigest);
        link(repo.resolve("_layers").resolve(path(configDigest)), configDigest);
        link(repo.resolve("_manifests/revisions").resolve(path(manifestDigest)), manifestDigest);
        link(repo.resolve("_manifests/tags").resolve(tag).resolve("current"), manifestDigest);
        link(repo.resolve("_manifests/tags").resolve(tag).resolve("index").resolve(path(manifestDigest)), manifestDigest);
        return manifestDigest;
    }

    private static Path path(String digest) {
        return Path.of("sha256", digest.substring("sha256:".length()));
    }

    private String writeBlob(byte[] content) {
        String hex = sha256(content);
        Path data = v2.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
        write(data, content);
        return "sha256:" + hex;
    }

    private static void link(Path dir, String digest) {
        write(dir.resolve("link"), digest.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
