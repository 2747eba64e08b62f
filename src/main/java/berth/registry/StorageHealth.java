package berth.registry;

import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the blob storage, reported as "storage" by /actuator/health and the console: a small
 * file written, read back and deleted through the storage driver, so it tests what pushes need.
 */
@Component("storage")
record StorageHealth(StorageDriver driver) implements HealthIndicator {

    private static final String PROBE = StorageLayout.repositories().replace("/repositories", "") + "/.berth-health";

    @Override
    public Health health() {
        try {
            byte[] probe = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            driver.putContent(PROBE, probe);
            boolean same = java.util.Arrays.equals(probe, driver.getContent(PROBE));
            try {
                driver.delete(PROBE);
            } catch (PathNotFoundException e) {
                // another probe removed it
            }
            return same ? Health.up().withDetail("driver", driver.name()).build()
                    : Health.down().withDetail("reason", "read back other content").build();
        } catch (Exception e) {
            return Health.down().withDetail("driver", driver.name()).withDetail("reason", e.getClass().getSimpleName()).build();
        }
    }
}
