package berth.oci;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in a registry, in the shape of a CNCF Distribution notification event.
 * The embedded engine publishes these in-process; notifications POSTed by an external Distribution
 * become the same records, so the catalog has one code path for both.
 *
 * @param id unique per event; receivers use it to ignore duplicates
 * @param timestamp when it happened
 * @param action {@code push}, {@code pull}, {@code mount} or {@code delete}
 * @param target what it happened to
 * @param actorName who did it (the token's subject), if known
 * @param requestAddress the client's address, if known
 */
public record RegistryEvent(
        String id,
        Instant timestamp,
        Action action,
        Target target,
        @Nullable String actorName,
        @Nullable String requestAddress) {

    public enum Action {
        PUSH, PULL, MOUNT, DELETE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param mediaType the manifest's or blob's media type; null for a tag deletion
     * @param digest the content's digest; null when only a tag was deleted
     * @param size bytes, 0 when unknown
     * @param repository the repository name, e.g. {@code project/app}
     * @param tag the tag, when the event concerns one
     */
    public record Target(
            @Nullable String mediaType,
            @Nullable String digest,
            long size,
            String repository,
            @Nullable String tag) {
    }

    /** Whether the event concerns a manifest (as opposed to a blob). */
    public boolean isManifest() {
        String mediaType = target.mediaType();
        return target.tag() != null || (mediaType != null && MediaTypes.isManifest(mediaType));
    }
}
