package berth.auth;

import berth.testing.TestSettings;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The token service, projects and Appkeys, on a real PostgreSQL with the same Flyway scripts. */
@ActiveProfiles({"test", "postgres"})
class TokenServicePostgresIT extends TokenServiceIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).postgres("auth_it_" + DATABASES.incrementAndGet());
    }
}
