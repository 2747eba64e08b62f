package berth.e2e.catalog;

import berth.testing.FreePorts;
import java.io.IOException;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The catalog's acceptance in embedded mode on a real PostgreSQL, with the same Flyway scripts.
 * A sibling of {@link EmbeddedCatalogE2EIT}, not its subclass: a subclass would inherit its
 * {@code @DynamicPropertySource} too, and which of the two port and database settings wins would
 * depend on the order Spring applies them.
 */
@ActiveProfiles({"test", "postgres"})
class EmbeddedCatalogPostgresE2EIT extends EmbeddedCatalogAcceptance {

    private static final int PORT = FreePorts.next();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        embedded(registry, PORT).postgres("catalog_embedded_it");
    }

    @Override
    int port() {
        return PORT;
    }

    @Override
    String database() {
        return "PostgreSQL";
    }
}
