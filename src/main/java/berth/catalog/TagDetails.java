package berth.catalog;

import berth.catalog.store.ManifestEntry;
import berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * Everything the catalog knows of a tag: the summary, the manifest, and - for an image - its config
 * and layers, or - for an index - its platforms, each with its own layers and config. Digests are
 * strings in JSON.
 *
 * @param tag the list row (digest, size, pull addresses, pulls)
 * @param artifactType the OCI artifact type, for artifacts that are not images
 * @param manifestSize the manifest's own bytes
 * @param createdAt when the image was built (an index: its newest platform), if its config says
 * @param image the image itself, for a single-platform tag; null for an index
 * @param platforms the platforms of an index; empty for a single image
 * @param attached artifacts attached to the tag's manifest (OCI {@code subject}): signatures, SBOMs; oldest first
 */
public record TagDetails(TagSummary tag, @Nullable String artifactType, long manifestSize, @Nullable Instant createdAt,
                         @Nullable Image image, List<Platform> platforms, List<Attached> attached) {

    /**
     * An artifact attached to the tag's manifest.
     *
     * @param digest its manifest's digest
     * @param artifactType what it is, e.g. {@code application/vnd.dev.cosign.artifact.sig.v1+json}; null when it does not say
     * @param mediaType its manifest's media type
     * @param size its manifest, config and blobs together
     * @param pushedAt when it was pushed
     * @param tag the tag it was pushed under, if any
     */
    public record Attached(@JsonSerialize(using = ToStringSerializer.class) Digest digest, @Nullable String artifactType, String mediaType,
                           long size, Instant pushedAt, @Nullable String tag) {
    }

    /** One image: its platform, config and layers. */
    public record Image(@JsonSerialize(using = ToStringSerializer.class) Digest digest, String mediaType, long size, @Nullable String os,
                        @Nullable String architecture, @Nullable String variant, @Nullable Instant createdAt,
                        @JsonSerialize(using = ToStringSerializer.class) @Nullable Digest configDigest, @Nullable String configMediaType, RunConfig config,
                        List<Layer> layers) {
    }

    /** A platform of an index, and its image when the catalog could read it. */
    public record Platform(@JsonSerialize(using = ToStringSerializer.class) Digest digest, String mediaType, long size, @Nullable String os,
                           @Nullable String architecture, @Nullable String variant, @Nullable Image image) {
    }

    public record Layer(String digest, long size, String mediaType) {
    }

    /** How the image runs, from its config. */
    public record RunConfig(List<String> entrypoint, List<String> cmd, List<String> env, Map<String, String> labels,
                            List<String> exposedPorts, @Nullable String user) {
    }

    static Image image(ManifestEntry manifest) {
        ManifestEntry.RunConfig run = manifest.runConfig();
        return new Image(manifest.digest(), manifest.mediaType(), manifest.totalSize(), manifest.os(), manifest.architecture(),
                manifest.variant(), manifest.createdAt(), manifest.configDigest(), manifest.configMediaType(),
                new RunConfig(run.entrypoint(), run.cmd(), run.env(), run.labels(), run.exposedPorts(), run.user()),
                manifest.layers().stream().map(l -> new Layer(l.digest(), l.size(), l.mediaType())).toList());
    }
}
