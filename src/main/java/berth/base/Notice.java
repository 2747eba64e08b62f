package berth.base;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Something a module did that other systems may want to hear of (quota refusals, garbage collection
 * and retention runs). A module's event record implements this and is published; webhooks deliver it
 * to the endpoints subscribed to {@link #type()}, without knowing the module. Published inside a
 * transaction, it is stored by the event publication registry and survives a crash.
 */
public interface Notice {

    /** Unique per occurrence: a receiver deduplicates on it, and it is delivered once per endpoint. */
    String id();

    /** The webhook event type's name, e.g. {@code GC_COMPLETED}, {@code QUOTA_EXCEEDED}, {@code RETENTION_COMPLETED}. */
    String type();

    Instant at();

    /** The project it concerns; null for the whole registry (then every project's subscribed endpoints hear of it). */
    @Nullable String project();

    /** The repository it concerns (full name), if one; most notices are about a project or the registry. */
    default @Nullable String repository() {
        return null;
    }

    /** The CloudEvent's {@code data}: plain values, lists and maps. */
    Map<String, Object> data();

    /**
     * A {@link #data()} map of {@code name, value, name, value, ...} in that order (a receiver reads the fields as
     * documented), null values kept: a field a notice has no value for is sent as {@code null}, not left out.
     */
    static Map<String, Object> fields(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return data;
    }
}
