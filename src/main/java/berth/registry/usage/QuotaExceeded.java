package berth.registry.usage;

import berth.base.Notice;
import java.time.Instant;
import java.util.LinkedHashMap;
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
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("project", project);
        data.put("repository", repository);
        data.put("usedBytes", usedBytes);
        data.put("quotaBytes", quotaBytes);
        data.put("neededBytes", neededBytes);
        return data;
    }
}
