package berth.catalog;

import berth.catalog.store.TagEntry;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * A row of a repository's tag list.
 *
 * @param repository the repository's full name (in JSON, like the digest, a string)
 * @param name the tag
 * @param digest the manifest it points at
 * @param mediaType the manifest's media type (an index for multi-platform images)
 * @param size bytes a pull downloads (all platforms of an index)
 * @param platforms e.g. {@code linux/amd64, linux/arm64}; null when the manifest names none
 * @param pushedAt when it was pushed (for tags found by a full sync: when the catalog first saw them)
 * @param lastPulledAt when it was last pulled by tag, if ever
 * @param pullCount how often it was pulled by tag
 * @param pullByTag what {@code docker pull} takes, by tag
 * @param pullByDigest what {@code docker pull} takes, by digest
 */
public record TagSummary(@JsonSerialize(using = ToStringSerializer.class) RepositoryName repository, String name,
                         @JsonSerialize(using = ToStringSerializer.class) Digest digest, String mediaType, long size,
                         @Nullable String platforms, Instant pushedAt, @Nullable Instant lastPulledAt, long pullCount,
                         String pullByTag, String pullByDigest) {

    static TagSummary of(RepositoryName repository, TagEntry entry, String registryHost) {
        return new TagSummary(repository, entry.name(), entry.digest(), entry.mediaType(), entry.size(), entry.platforms(),
                entry.pushedAt(), entry.lastPulledAt(), entry.pullCount(),
                registryHost + "/" + repository + ":" + entry.name(),
                registryHost + "/" + repository + "@" + entry.digest());
    }
}
