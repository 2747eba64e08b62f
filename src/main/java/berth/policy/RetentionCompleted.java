package berth.policy;

import berth.base.Notice;
import java.time.Instant;
import java.util.Map;

/**
 * A retention run of a project ended (SUCCEEDED or FAILED), dry or real: for webhooks and anyone else
 * who listens (webhook event {@code RETENTION_COMPLETED}). Published in the transaction that records
 * the run's end, so the event publication registry keeps it durably.
 *
 * @param tagsDeleted tags deleted (a dry run: that a real run would delete)
 * @param manifestsDeleted untagged manifests deleted ({@code untagged: remove}; a dry run: that a real run would delete)
 * @param bytesFreeable bytes garbage collection can now free, as far as the catalog knows (see the README)
 * @param startedBy the ADMIN who started it, or {@code system} for a scheduled run
 */
public record RetentionCompleted(String project, long runId, boolean dryRun, boolean succeeded, int tagsDeleted, int manifestsDeleted,
                                 long bytesFreeable,
                                 String startedBy, Instant at) implements Notice {

    @Override
    public String id() {
        return "retention-run-" + runId;
    }

    @Override
    public String type() {
        return "RETENTION_COMPLETED";
    }

    @Override
    public Map<String, Object> data() {
        return Notice.fields("run", runId, "dryRun", dryRun, "state", succeeded ? "SUCCEEDED" : "FAILED", "tagsDeleted", tagsDeleted,
                "manifestsDeleted", manifestsDeleted, "bytesFreeable", bytesFreeable, "startedBy", startedBy);
    }
}
