package berth.e2e.catalog;

import berth.testing.FreePorts;
import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The catalog's acceptance in embedded mode on the default database, H2. */
class EmbeddedCatalogE2EIT extends EmbeddedCatalogAcceptance {

    private static final int PORT = FreePorts.next();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        embedded(registry, PORT);
    }

    @Override
    int port() {
        return PORT;
    }

    @Override
    String database() {
        return "H2";
    }
}
