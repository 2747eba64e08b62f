package berth.registry.gc;

import berth.base.Notice;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A garbage collection run (not a dry run) ended: published in the transaction that records its
 * end, so it is durable. Webhook event {@code GC_COMPLETED}, for the whole registry.
 *
 * @param state {@code SUCCEEDED} or {@code FAILED}
 */
public record GcCompleted(long runId, String state, long manifestsDeleted, long blobsDeleted, long linksDeleted, long bytesFreed,
                          int errors, @Nullable String message, Instant at) implements Notice {

    @Override
    public String id() {
        return "gc-run-" + runId;
    }

    @Override
    public String type() {
        return "GC_COMPLETED";
    }

    @Override
    public @Nullable String project() {
        return null;
    }

    @Override
    public Map<String, Object> data() {
        return Notice.fields("run", runId, "state", state, "manifestsDeleted", manifestsDeleted, "blobsDeleted", blobsDeleted,
                "linksDeleted", linksDeleted, "bytesFreed", bytesFreed, "errors", errors, "message", message);
    }
}
