package berth.oci;

import java.util.List;
import java.util.Set;

/** The media types a registry serves, and which of them are manifests. */
public final class MediaTypes {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DISTRIBUTION_EVENTS = "application/vnd.docker.distribution.events.v1+json";

    /** Every manifest type Berth understands, the list a client sends in {@code Accept}. */
    public static final List<String> MANIFESTS = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    private static final Set<String> MANIFEST_SET = Set.copyOf(MANIFESTS);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

    private MediaTypes() {
    }

    public static boolean isManifest(String mediaType) {
        return MANIFEST_SET.contains(mediaType);
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    /** The value of an {@code Accept} header asking for any manifest Berth understands. */
    public static String acceptAllManifests() {
        return String.join(", ", MANIFESTS);
    }
}
