package berth.policy.retention;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A retention run as the REST API shows it.
 *
 * @param deletions what the run deleted so far (a dry run: what a real run would delete): the tags by repository then
 *     tag, then the untagged manifests by repository then digest; empty in the list of runs
 * @param tagsDeleted how many tags that is
 * @param manifestsDeleted how many untagged manifests (policy {@code untagged: remove}, embedded engine)
 * @param tagsKept tags the rules selected and kept (immutable ones among them)
 * @param bytesFreeable what garbage collection can free after it, as far as the catalog knows
 * @param startedBy the ADMIN who asked, or {@code system} for the schedule
 */
public record RetentionRun(long id, String project, State state, boolean dryRun, Trigger trigger, String startedBy, Instant startedAt,
                           @Nullable Instant endedAt, int tagsDeleted, int manifestsDeleted, int tagsKept, long bytesFreeable, List<String> errors,
                           @Nullable String message, List<Deletion> deletions) {

    /**
     * A tag a run deletes, {@code size} its manifest's total (what a pull downloads); or, {@code tag}
     * null, an untagged manifest it removes, {@code size} its own, its config's and its layers' bytes.
     */
    public record Deletion(String repository, @Nullable String tag, String digest, long size) {
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED
    }

    public enum Trigger {
        REQUEST, SCHEDULE
    }

    RetentionRun withDeletions(List<Deletion> list) {
        int tags = (int) list.stream().filter(d -> d.tag() != null).count();
        return new RetentionRun(id, project, state, dryRun, trigger, startedBy, startedAt, endedAt, tags, list.size() - tags, tagsKept,
                bytesFreeable, errors, message, list);
    }
}
