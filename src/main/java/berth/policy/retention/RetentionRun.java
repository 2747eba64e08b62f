package berth.policy.retention;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A retention run as the REST API shows it.
 *
 * @param deletions what the run deleted so far (a dry run: what a real run would delete), by repository then tag;
 *     empty in the list of runs
 * @param tagsDeleted how many that is
 * @param tagsKept tags the rules selected and kept (immutable ones among them)
 * @param bytesFreeable what garbage collection can free after it, as far as the catalog knows
 * @param startedBy the ADMIN who asked, or {@code system} for the schedule
 */
public record RetentionRun(long id, String project, State state, boolean dryRun, Trigger trigger, String startedBy, Instant startedAt,
                           @Nullable Instant endedAt, int tagsDeleted, int tagsKept, long bytesFreeable, List<String> errors,
                           @Nullable String message, List<Deletion> deletions) {

    /** A tag a run deletes; {@code size} is its manifest's total (what a pull downloads). */
    public record Deletion(String repository, String tag, String digest, long size) {
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED
    }

    public enum Trigger {
        REQUEST, SCHEDULE
    }

    RetentionRun withDeletions(List<Deletion> list) {
        return new RetentionRun(id, project, state, dryRun, trigger, startedBy, startedAt, endedAt, list.size(), tagsKept, bytesFreeable,
                errors, message, list);
    }
}
