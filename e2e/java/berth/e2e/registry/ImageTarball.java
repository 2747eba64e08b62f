package berth.e2e.registry;

import berth.e2e.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;

/**
 * An image tarball as {@code jib:buildTar} writes it (Docker's {@code docker save} format: {@code manifest.json}
 * names {@code config.json} and one {@code <sha256>.tar.gz} per layer, in order), unpacked into a directory.
 */
record ImageTarball(JsonNode config, List<Blob> layers) {

    /** A blob as a registry manifest describes it. */
    record Blob(String digest, long size) {
    }

    /** A file or directory in a layer: its mode bits and, for small files, its bytes. */
    record LayerEntry(boolean directory, int mode, byte[] content) {
    }

    static ImageTarball unpack(Path tarball, Path into) {
        try {
            Files.createDirectories(into);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path target = into.resolve(entry.getName()).normalize();
                    if (!target.startsWith(into) || entry.isDirectory()) {
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
            JsonNode entry = RegistryHttp.JSON.readTree(into.resolve("manifest.json").toFile()).path(0);
            JsonNode config = RegistryHttp.JSON.readTree(into.resolve(entry.path("Config").asString()).toFile());
            List<Blob> layers = new ArrayList<>();
            for (JsonNode file : entry.path("Layers")) {
                Path layer = into.resolve(file.asString());
                layers.add(new Blob(TestImages.sha256(layer), Files.size(layer)));
            }
            return new ImageTarball(config, layers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every entry of a gzip-compressed layer by its path without a leading {@code /}; directories end in
     * {@code /}. File bytes are kept up to 1 MiB, enough for the small files a test reads.
     */
    static Map<String, LayerEntry> entries(Path layer) {
        Map<String, LayerEntry> entries = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\.?/", "");
                byte[] content = entry.isDirectory() || entry.getSize() > (1 << 20) ? new byte[0] : tar.readAllBytes();
                entries.put(name, new LayerEntry(entry.isDirectory(), entry.getMode() & 07777, content));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
