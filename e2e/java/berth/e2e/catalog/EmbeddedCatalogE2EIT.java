package berth.e2e.catalog;

import berth.BerthApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The catalog in embedded mode: the same acceptance as against CNCF Distribution, with Berth's
 * own engine serving /v2/ and publishing its RegistryEvents in-process.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class EmbeddedCatalogE2EIT extends CatalogAcceptance {

    private static final String SECRET = "embedded-events-secret-for-tests";
    private static final int BERTH_PORT = Distribution.freePort();
    private static boolean warm;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("berth-catalog-embedded");
        registry.add("berth.data-dir", dataDir::toString);
        registry.add("server.port", () -> BERTH_PORT);
        registry.add("berth.public-url", () -> "http://127.0.0.1:" + BERTH_PORT);
        registry.add("berth.registry.mode", () -> "embedded");
        registry.add("berth.registry.events-secret", () -> SECRET);
        registry.add("berth.catalog.sync-on-start", () -> "false");
        registry.add("berth.catalog.full-sync-interval", () -> "0s");
    }

    @BeforeEach
    void warmOnce() {
        if (!warm) {
            warm = true;
            warmUp();
        }
    }

    @Override
    String registryUrl() {
        return berthUrl();
    }

    @Override
    String registryHost() {
        return "127.0.0.1:" + BERTH_PORT;
    }

    @Override
    String berthUrl() {
        return "http://127.0.0.1:" + BERTH_PORT;
    }

    @Override
    String project() {
        return "harbour";
    }

    @Override
    String eventsSecret() {
        return SECRET;
    }
}
