package berth.catalog.store;

import berth.oci.Digest;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.annotations.JavaType;
import org.jspecify.annotations.Nullable;

/**
 * A manifest by digest: an image (config summary and layers) or an index (its children and their
 * platforms). Content-addressed and so immutable once stored, and shared by every repository
 * holding the same bytes.
 */
@Entity
@Table(name = "catalog_manifest")
public class ManifestEntry {

    @Id
    @JavaType(OciColumns.DigestId.class)
    private Digest digest;

    private String mediaType;

    private @Nullable String artifactType;

    /** The manifest this one is attached to (OCI 1.1 {@code subject}): a signature's or SBOM's image. */
    private @Nullable Digest subjectDigest;

    /** The manifest's own bytes. */
    private long size;

    /** What pulling it downloads: manifest, config and layers; for an index, all its platforms too. */
    private long totalSize;

    private @Nullable Digest configDigest;

    private @Nullable String configMediaType;

    private @Nullable Instant createdAt;

    private @Nullable String os;

    private @Nullable String architecture;

    private @Nullable String variant;

    @Convert(converter = JsonColumns.StringList.class)
    private List<String> entrypoint = List.of();

    @Convert(converter = JsonColumns.StringList.class)
    private List<String> cmd = List.of();

    @Convert(converter = JsonColumns.StringList.class)
    private List<String> env = List.of();

    @Convert(converter = JsonColumns.StringMap.class)
    private Map<String, String> labels = Map.of();

    @Convert(converter = JsonColumns.StringList.class)
    private List<String> exposedPorts = List.of();

    @Column(name = "config_user")
    private @Nullable String user;

    @ElementCollection
    @CollectionTable(name = "catalog_manifest_layer", joinColumns = @JoinColumn(name = "manifest_digest"))
    @OrderColumn(name = "position")
    private List<Layer> layers = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "catalog_manifest_child", joinColumns = @JoinColumn(name = "manifest_digest"))
    @OrderColumn(name = "position")
    private List<Child> children = new ArrayList<>();

    /**
     * The longest digest the catalog's digest columns hold (VARCHAR(150) since V66): a sha256 digest
     * (71 characters) and a sha512 one (135) fit.
     */
    public static final int DIGEST_COLUMN_LENGTH = 150;

    /**
     * The longest text a shown field keeps; a longer one (the registry stores whatever a pusher
     * wrote) is cut and ends in {@value #CUT_MARK}, so one odd image never stops the catalog.
     */
    static final int SHOWN_LENGTH = 1024;
    static final String CUT_MARK = "…";

    /** {@code text}, cut to {@link #SHOWN_LENGTH} characters with a marker when longer. */
    static @Nullable String shown(@Nullable String text) {
        if (text == null || text.length() <= SHOWN_LENGTH) {
            return text;
        }
        return text.substring(0, SHOWN_LENGTH - CUT_MARK.length()) + CUT_MARK;
    }

    /**
     * A layer of an image. Its digest stays text: it is only shown and counted, never asked for, and
     * CNCF Distribution 2.8 stores a foreign layer's descriptor as the pusher wrote it.
     */
    @Embeddable
    public record Layer(String digest, long size, String mediaType) {
        public Layer {
            mediaType = java.util.Objects.requireNonNull(shown(mediaType));
        }
    }

    /** A manifest an index points at, and the platform it is for. */
    @Embeddable
    public record Child(Digest digest, String mediaType, long size,
                 @Nullable String os, @Nullable String architecture, @Nullable String variant) {

        public Child {
            mediaType = java.util.Objects.requireNonNull(shown(mediaType));
            os = shown(os);
            architecture = shown(architecture);
            variant = shown(variant);
        }

        String platform() {
            return ManifestEntry.platform(os, architecture, variant);
        }
    }

    /** What an image's config says about running it. */
    public record RunConfig(List<String> entrypoint, List<String> cmd, List<String> env, Map<String, String> labels,
                     List<String> exposedPorts, @Nullable String user) {

        public static final RunConfig NONE = new RunConfig(List.of(), List.of(), List.of(), Map.of(), List.of(), null);
    }

    /** For JPA only, which sets every field. */
    @SuppressWarnings("NullAway")
    protected ManifestEntry() {
        this.mediaType = "";
    }

    public static ManifestEntry image(Digest digest, String mediaType, @Nullable String artifactType, long size,
                               @Nullable Digest configDigest, @Nullable String configMediaType, long configSize,
                               @Nullable Instant createdAt, @Nullable String os, @Nullable String architecture,
                               @Nullable String variant, RunConfig run, List<Layer> layers) {
        ManifestEntry entry = new ManifestEntry();
        entry.digest = digest;
        entry.mediaType = java.util.Objects.requireNonNull(shown(mediaType));
        entry.artifactType = shown(artifactType);
        entry.size = size;
        entry.configDigest = configDigest;
        entry.configMediaType = shown(configMediaType);
        entry.createdAt = createdAt;
        entry.os = shown(os);
        entry.architecture = shown(architecture);
        entry.variant = shown(variant);
        entry.entrypoint = run.entrypoint();
        entry.cmd = run.cmd();
        entry.env = run.env();
        entry.labels = run.labels();
        entry.exposedPorts = run.exposedPorts();
        entry.user = shown(run.user());
        entry.layers = new ArrayList<>(layers);
        entry.totalSize = size + configSize + layers.stream().mapToLong(Layer::size).sum();
        return entry;
    }

    /**
     * An index. Its created time is its newest platform's; its total size counts every platform
     * whose manifest the catalog could read, and the descriptor's size of the others.
     */
    public static ManifestEntry index(Digest digest, String mediaType, @Nullable String artifactType, long size,
                               List<Child> children, Map<Digest, ManifestEntry> childManifests) {
        ManifestEntry entry = new ManifestEntry();
        entry.digest = digest;
        entry.mediaType = java.util.Objects.requireNonNull(shown(mediaType));
        entry.artifactType = shown(artifactType);
        entry.size = size;
        entry.children = new ArrayList<>(children);
        long total = size;
        Instant created = null;
        for (Child child : children) {
            ManifestEntry manifest = childManifests.get(child.digest());
            total += manifest == null ? child.size() : manifest.totalSize();
            if (manifest != null && manifest.createdAt() != null && (created == null || manifest.createdAt().isAfter(created))) {
                created = manifest.createdAt();
            }
        }
        entry.totalSize = total;
        entry.createdAt = created;
        return entry;
    }

    static String platform(@Nullable String os, @Nullable String architecture, @Nullable String variant) {
        if (os == null && architecture == null) {
            return "";
        }
        return (os == null ? "?" : os) + "/" + (architecture == null ? "?" : architecture) + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }

    /** {@code linux/amd64, linux/arm64/v8} for the tag list; null when the manifest names no platform. */
    @Nullable String platformSummary() {
        Set<String> platforms = new LinkedHashSet<>();
        if (isIndex()) {
            children.stream().map(Child::platform).filter(p -> !p.isEmpty()).forEach(platforms::add);
        } else {
            String own = platform(os, architecture, variant);
            if (!own.isEmpty()) {
                platforms.add(own);
            }
        }
        String summary = String.join(", ", platforms);
        if (summary.length() > 1000) {
            summary = summary.substring(0, 997) + "...";
        }
        return summary.isEmpty() ? null : summary;
    }

    public boolean isIndex() {
        return !children.isEmpty() || berth.oci.MediaTypes.isIndex(mediaType);
    }

    public Digest digest() {
        return digest;
    }

    public String mediaType() {
        return mediaType;
    }

    public @Nullable String artifactType() {
        return artifactType;
    }

    public @Nullable Digest subjectDigest() {
        return subjectDigest;
    }

    /** Records the manifest's {@code subject}; returns this. */
    public ManifestEntry attachedTo(@Nullable Digest subjectDigest) {
        this.subjectDigest = subjectDigest;
        return this;
    }

    public long size() {
        return size;
    }

    public long totalSize() {
        return totalSize;
    }

    public @Nullable Digest configDigest() {
        return configDigest;
    }

    public @Nullable String configMediaType() {
        return configMediaType;
    }

    public @Nullable Instant createdAt() {
        return createdAt;
    }

    public @Nullable String os() {
        return os;
    }

    public @Nullable String architecture() {
        return architecture;
    }

    public @Nullable String variant() {
        return variant;
    }

    public RunConfig runConfig() {
        return new RunConfig(entrypoint, cmd, env, labels, exposedPorts, user);
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<Child> children() {
        return children;
    }
}
