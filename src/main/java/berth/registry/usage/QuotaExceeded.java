package berth.registry.usage;

import berth.base.Notice;
import java.time.Instant;
import java.util.Map;

/**
 * A push refused because it would take its project past the storage quota (webhook event
 * {@code QUOTA_EXCEEDED}); at most one a minute per project, however often a client retries.
 */
public record QuotaExceeded(String id, Instant at, String project, String repository, long usedBytes, long quotaBytes,
                            long neededBytes) implements Notice {

    @Override
    public String type() {
        return "QUOTA_EXCEEDED";
    }

    @Override
    public Map<String, Object> data() {
        return Notice.fields("project", project, "repository", repository, "usedBytes", usedBytes,
                "quotaBytes", quotaBytes, "neededBytes", neededBytes);
    }
}
