package berth.registry.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Registry traffic for Prometheus: {@code berth_registry_requests_seconds} by route, method and
 * status, {@code berth_registry_bytes_total} by direction, and {@code berth_registry_uploads_seconds}
 * for whole blob uploads (a chunked upload spans many requests). Spring's own HTTP metrics cannot
 * tell a manifest pull from a blob push, because the registry is not a Spring MVC controller.
 */
@Component
final class RegistryMetrics {

    private final MeterRegistry registry;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer uploads;

    RegistryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesIn = Counter.builder("berth.registry.bytes").tag("direction", "in")
                .description("Bytes received in request bodies of the registry API").baseUnit("bytes").register(registry);
        this.bytesOut = Counter.builder("berth.registry.bytes").tag("direction", "out")
                .description("Bytes sent in blob and manifest bodies of the registry API").baseUnit("bytes").register(registry);
        this.uploads = Timer.builder("berth.registry.uploads")
                .description("Blob upload sessions, from their start to the verified blob").register(registry);
    }

    /** A blob upload session finished: from its POST to the verified blob, whatever happened between. */
    void uploaded(java.time.Duration took) {
        uploads.record(took);
    }

    void record(String route, String method, int status, long nanos, long in, long out) {
        Timer.builder("berth.registry.requests")
                .description("Requests to the registry API")
                .tag("route", route)
                .tag("method", method)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (in > 0) {
            bytesIn.increment(in);
        }
        if (out > 0) {
            bytesOut.increment(out);
        }
    }
}
