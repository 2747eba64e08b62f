package berth.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a registry needs to know of a manifest or index: its media type, the content it refers to,
 * and the artifact fields of OCI 1.1. Parsed from the exact bytes a client pushed; those bytes,
 * not this record, are what the registry stores and serves.
 *
 * @param mediaType one of {@link MediaTypes#MANIFESTS}
 * @param config the config blob of an image manifest; null for an index
 * @param layers the layers of an image manifest; empty for an index
 * @param manifests the child manifests of an index; empty for an image manifest
 * @param subject the manifest this one is about (signatures, SBOMs, ...)
 */
public record Manifest(
        String mediaType,
        @Nullable String artifactType,
        @Nullable Descriptor config,
        List<Descriptor> layers,
        List<Descriptor> manifests,
        @Nullable Descriptor subject,
        Map<String, String> annotations) {

    /** The largest manifest a registry must accept, and the largest Berth accepts. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /**
     * Parses a pushed manifest. {@code contentType} is the request's {@code Content-Type}; when the
     * manifest names its own media type the two must agree. Every problem is
     * {@link ErrorCode#MANIFEST_INVALID} with a sentence that says what is wrong.
     */
    public static Manifest parse(byte[] content, @Nullable String contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JacksonException e) {
            throw invalid("the manifest is not well-formed JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid("a manifest is a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw invalid("schemaVersion must be 2 (schema 1 manifests are not supported)");
        }
        String declared = optionalString(root, "mediaType");
        String requested = contentType == null ? null : baseType(contentType);
        String mediaType = mediaTypeOf(root, declared, requested);

        List<Descriptor> layers = List.of();
        List<Descriptor> manifests = List.of();
        Descriptor config = null;
        if (MediaTypes.isIndex(mediaType)) {
            manifests = descriptors(root, "manifests", true);
        } else {
            JsonNode configNode = root.get("config");
            if (configNode == null) {
                throw invalid("an image manifest has a config descriptor");
            }
            config = descriptor(configNode, "config");
            layers = descriptors(root, "layers", true);
        }
        JsonNode subjectNode = root.get("subject");
        Descriptor subject = subjectNode == null || subjectNode.isNull() ? null : descriptor(subjectNode, "subject");
        return new Manifest(mediaType, optionalString(root, "artifactType"), config, layers, manifests, subject,
                stringMap(root.get("annotations"), "annotations"));
    }

    /** The media type of stored manifest bytes, for serving them; empty when they are no manifest Berth knows. */
    public static Optional<String> mediaTypeOf(byte[] content) {
        try {
            JsonNode root = JSON.readTree(content);
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            return Optional.of(mediaTypeOf(root, optionalString(root, "mediaType"), null));
        } catch (JacksonException | RegistryException e) {
            return Optional.empty();
        }
    }

    /**
     * The first child of stored index bytes whose {@code platform} names {@code os} and
     * {@code architecture}; empty when none does or the bytes are no index.
     */
    public static Optional<Digest> childFor(byte[] index, String os, String architecture) {
        try {
            JsonNode children = JSON.readTree(index).path("manifests");
            for (JsonNode child : children) {
                JsonNode platform = child.path("platform");
                if (os.equals(platform.path("os").asString(null)) && architecture.equals(platform.path("architecture").asString(null))) {
                    return Optional.of(Digest.parse(child.path("digest").asString("")));
                }
            }
        } catch (JacksonException | RegistryException e) {
            // not an index Berth could have stored; nothing to choose
        }
        return Optional.empty();
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** Blobs (config and layers) a registry must hold before it accepts this manifest; foreign layers excluded. */
    public List<Descriptor> blobs() {
        List<Descriptor> blobs = new ArrayList<>();
        if (config != null) {
            blobs.add(config);
        }
        layers.stream().filter(l -> l.urls().isEmpty()).forEach(blobs::add);
        return blobs;
    }

    /** The artifact type the referrers API reports: {@code artifactType}, else the config's media type. */
    public @Nullable String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config == null ? null : config.mediaType();
    }

    private static String mediaTypeOf(JsonNode root, @Nullable String declared, @Nullable String requested) {
        if (declared == null) {
            // OCI lets mediaType be absent; the structure then says what it is, so the same bytes are
            // always the same type. Docker's formats must name theirs (CNCF Distribution refuses them too).
            String structural = root.has("manifests") ? MediaTypes.OCI_INDEX : root.has("config") ? MediaTypes.OCI_MANIFEST : null;
            if (structural == null) {
                throw invalid("the manifest names no mediaType and has neither 'config' nor 'manifests'");
            }
            if (requested != null && MediaTypes.isManifest(requested) && !requested.equals(structural)) {
                throw invalid("the manifest names no mediaType, which makes it an " + structural + ", but the request's Content-Type is '"
                        + requested + "'; a Docker manifest must name its mediaType");
            }
            return structural;
        }
        if (requested != null && !declared.equals(requested)) {
            throw invalid("the manifest's mediaType '" + declared + "' differs from the request's Content-Type '" + requested + "'");
        }
        if (!MediaTypes.isManifest(declared)) {
            throw invalid("media type '" + declared + "' is not a manifest type Berth supports (" + String.join(", ", MediaTypes.MANIFESTS) + ")");
        }
        return declared;
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid("'" + field + "' is missing");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("'" + field + "' is not an array");
        }
        List<Descriptor> result = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            result.add(descriptor(node.get(i), field + "[" + i + "]"));
        }
        return result;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " is not a descriptor object");
        }
        String mediaType = optionalString(node, "mediaType");
        if (mediaType == null || mediaType.isBlank()) {
            throw invalid(where + " has no mediaType");
        }
        String digestText = optionalString(node, "digest");
        if (digestText == null) {
            throw invalid(where + " has no digest");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (RegistryException e) {
            throw invalid(where + " has an invalid digest (sha256:<64 lowercase hex> or sha512:<128 lowercase hex>)");
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || size.asLong() < 0) {
            throw invalid(where + " has no non-negative integer size");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && urlsNode.isArray()) {
            urlsNode.forEach(u -> urls.add(u.asString()));
        }
        return new Descriptor(mediaType, digest, size.asLong(), optionalString(node, "artifactType"),
                stringMap(node.get("annotations"), where + ".annotations"), urls);
    }

    private static Map<String, String> stringMap(@Nullable JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(where + " is not an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw invalid(where + "." + entry.getKey() + " is not a string");
            }
            map.put(entry.getKey(), entry.getValue().asString());
        }
        return map;
    }

    private static @Nullable String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw invalid("'" + field + "' is not a string");
        }
        return value.asString();
    }

    /** {@code application/x; charset=utf-8} is {@code application/x}. */
    public static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static RegistryException invalid(String why) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, "Manifest invalid: " + why + ".");
    }
}
