package berth.e2e.catalog;

import berth.BerthApplication;
import berth.testing.BerthApi;
import berth.testing.TestSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog in embedded mode: the same acceptance as against CNCF Distribution, with Berth's
 * own engine serving /v2/ and publishing its RegistryEvents in-process. Each subclass names its
 * database and brings its own port: Berth listens on a fixed port (its public URL must be known
 * before it starts), and a {@code static final} port here would be one port for every subclass,
 * so the second context would find it taken by the first, still cached. The context is closed
 * after its class for the same reason, and no other class shares it.
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class EmbeddedCatalogAcceptance extends CatalogAcceptance {

    static final String SECRET = "embedded-events-secret-for-tests";
    /** Per class, not per instance: JUnit makes an instance per test, the context lives for the class. */
    private static final Set<Class<?>> WARMED = ConcurrentHashMap.newKeySet();

    /** The settings every embedded run shares; subclasses call it from their own {@code @DynamicPropertySource}. */
    static TestSettings embedded(DynamicPropertyRegistry registry, int port) {
        return TestSettings.of(registry).freshData("berth-catalog-embedded").port(port).catalogSyncOnlyWhenAsked()
                .set("berth.registry.mode", "embedded")
                .set("berth.registry.events-secret", SECRET);
    }

    /** The port this subclass's Berth listens on. */
    abstract int port();

    /** The database product this subclass runs on, as JDBC names it. */
    abstract String database();

    @BeforeEach
    void warmOnce() {
        if (WARMED.add(getClass())) {
            warmUp();
        }
    }

    @Test
    void the_catalog_runs_on_the_database_this_class_names() {
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        assertThat(product).isEqualTo(database());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM catalog_repository WHERE project = ?", Integer.class, project()))
                .as("the warm-up push of this class is in this database").isPositive();
    }

    @Test
    void the_external_registry_health_is_not_registered_in_embedded_mode() {
        // As a system administrator, who may see the components: anonymous callers get only the overall status.
        BerthApi.Reply health = api().get("/actuator/health/registry", ADMIN, ADMIN_PASSWORD);
        assertThat(health.status()).as(health.raw()).isEqualTo(404);
        BerthApi.Reply storage = api().get("/actuator/health/storage", ADMIN, ADMIN_PASSWORD);
        assertThat(storage.status()).as("a component that is registered").isEqualTo(200);
        assertThat(storage.json().at("/details/driver").asString()).isEqualTo("filesystem");
        assertThat(api().send(HttpRequest.newBuilder(URI.create(berthUrl() + "/actuator/health/storage")).GET()).status())
                .as("components are hidden from anonymous callers").isEqualTo(404);
    }

    @Override
    String registryUrl() {
        return berthUrl();
    }

    @Override
    String usageCountedFrom() {
        return "STORAGE";
    }

    @Override
    String registryHost() {
        return "127.0.0.1:" + port();
    }

    @Override
    String berthUrl() {
        return "http://127.0.0.1:" + port();
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
