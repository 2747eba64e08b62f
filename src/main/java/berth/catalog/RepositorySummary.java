package berth.catalog;

import berth.catalog.store.RepositoryEntry;
import berth.oci.RepositoryName;
import java.time.Instant;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * A row of a project's repository list.
 *
 * @param name the full name, {@code project/repo}; a string in JSON
 * @param project the project it belongs to
 * @param tagCount how many tags it has
 * @param totalSize bytes of its distinct images (manifests, configs and layers; each image once)
 * @param createdAt when the catalog first saw it
 * @param lastPushAt its newest tag's push
 */
public record RepositorySummary(@JsonSerialize(using = ToStringSerializer.class) RepositoryName name, String project, int tagCount, long totalSize,
                                Instant createdAt, Instant lastPushAt) {

    static RepositorySummary of(RepositoryEntry entry) {
        return new RepositorySummary(entry.name(), entry.project(), entry.tagCount(), entry.totalSize(), entry.createdAt(), entry.lastPushAt());
    }
}
