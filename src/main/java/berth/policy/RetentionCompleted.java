package berth.policy;

import java.time.Instant;

/**
 * A retention run of a project ended (SUCCEEDED or FAILED), dry or real: for webhooks and anyone else
 * who listens. Published after the run's record is written.
 *
 * @param tagsDeleted tags deleted (a dry run: that a real run would delete)
 * @param bytesFreeable bytes garbage collection can now free, as far as the catalog knows (see the README)
 * @param startedBy the ADMIN who started it, or {@code system} for a scheduled run
 */
public record RetentionCompleted(String project, long runId, boolean dryRun, boolean succeeded, int tagsDeleted, long bytesFreeable,
                                 String startedBy, Instant at) {
}
