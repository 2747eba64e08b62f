package berth.catalog.remote;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.stereotype.Component;

/**
 * One HTTP exchange with the registry, never more than {@code berth.catalog.parallelism} at once
 * across the catalog (a full sync, events and deletions share the bound), so the catalog cannot
 * flood a registry that also serves pushes and pulls.
 */
@Component
class RegistryExchange {

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final AtomicLong requests = new AtomicLong();

    @ConcurrencyLimit(limitString = "${berth.catalog.parallelism:8}")
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        requests.incrementAndGet();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    long requestCount() {
        return requests.get();
    }
}
