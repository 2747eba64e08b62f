package berth.registry.storage;

import java.time.Instant;

/** What {@link StorageDriver#stat} knows of a path. */
public record FileInfo(String path, long size, Instant modified, boolean directory) {
}
