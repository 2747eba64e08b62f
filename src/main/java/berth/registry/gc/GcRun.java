package berth.registry.gc;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One garbage collection run as recorded. For a dry run the counts are what a real run would have
 * removed, and {@code items} lists it ({@code kind digest repository-or-size}, the first thousand).
 *
 * @param errors how many deletions failed (the run went on; the next run tries them again)
 * @param message why it failed or was skipped, or the first error
 */
public record GcRun(
        long id,
        State state,
        boolean dryRun,
        boolean deleteUntagged,
        Trigger trigger,
        long blobsDeleted,
        long manifestsDeleted,
        long linksDeleted,
        long bytesFreed,
        int errors,
        @Nullable String message,
        Instant startedAt,
        @Nullable Instant finishedAt,
        List<String> items) {

    public enum State { RUNNING, SUCCEEDED, FAILED, SKIPPED }

    /** Who started it: a person (API, console) or the schedule. */
    public enum Trigger { REQUEST, SCHEDULE }
}
