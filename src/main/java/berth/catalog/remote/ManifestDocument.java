package berth.catalog.remote;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an image manifest or index (OCI or Docker schema 2) the catalog reads. Both formats
 * share these field names, so one record reads all four media types.
 */
public record ManifestDocument(
        @Nullable String mediaType,
        @Nullable String artifactType,
        @Nullable Descriptor config,
        @Nullable List<Descriptor> layers,
        @Nullable List<Descriptor> manifests,
        @Nullable Map<String, String> annotations,
        @Nullable Descriptor subject) {

    public record Descriptor(@Nullable String mediaType, String digest, long size, @Nullable Platform platform) {
    }

    public record Platform(@Nullable String os, @Nullable String architecture, @Nullable String variant) {
    }

    /** An image config (OCI or Docker): when it was built, for which platform, and how it runs. */
    public record ImageConfig(
            @Nullable String created,
            @Nullable String os,
            @Nullable String architecture,
            @Nullable String variant,
            @Nullable RunSettings config) {
    }

    public record RunSettings(
            @JsonProperty("Entrypoint") @Nullable List<String> entrypoint,
            @JsonProperty("Cmd") @Nullable List<String> cmd,
            @JsonProperty("Env") @Nullable List<String> env,
            @JsonProperty("Labels") @Nullable Map<String, String> labels,
            @JsonProperty("ExposedPorts") @Nullable Map<String, Object> exposedPorts,
            @JsonProperty("User") @Nullable String user) {
    }
}
