package berth.registry;

import berth.base.BerthSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health of the blob storage, reported as "storage" by /actuator/health and the console. */
@Component("storage")
class StorageHealth implements HealthIndicator {

    private final Path root;

    StorageHealth(BerthSettings settings) {
        this.root = settings.dataDir().resolve("registry");
    }

    @Override
    public Health health() {
        try {
            Files.createDirectories(root);
            return Files.isWritable(root) ? Health.up().build() : Health.down().withDetail("reason", "not writable").build();
        } catch (Exception e) {
            return Health.down().withDetail("reason", e.getClass().getSimpleName()).build();
        }
    }
}
