package berth.oci;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A reference from one piece of content to another (OCI image spec "descriptor"): what it is,
 * its address and its size.
 *
 * @param urls where a "foreign" layer lives outside the registry; such layers need not be pushed
 */
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        @Nullable String artifactType,
        Map<String, String> annotations,
        List<String> urls) {

    public Descriptor {
        annotations = Map.copyOf(annotations);
        urls = List.copyOf(urls);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, Map.of(), List.of());
    }
}
