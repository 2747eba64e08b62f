package berth.testing;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of a Berth that a Spring test starts in its own JVM, written from the test's
 * {@code @DynamicPropertySource} (or by {@link InProcessBerth}): where its data lives, where it listens and what name it gives
 * itself, which database it uses, and what it leaves for the test to start.
 */
public final class TestSettings {

    private final DynamicPropertyRegistry registry;

    private TestSettings(DynamicPropertyRegistry registry) {
        this.registry = registry;
    }

    public static TestSettings of(DynamicPropertyRegistry registry) {
        return new TestSettings(registry);
    }

    /** Data in a new scratch directory (named after {@code prefix}) that goes away when the JVM exits. */
    public TestSettings freshData(String prefix) {
        return data(ScratchDirectories.create(prefix));
    }

    public TestSettings data(Path dir) {
        return set("berth.data-dir", dir.toString());
    }

    /**
     * Listens on {@code port}, which Berth also names in its token realm and registry address
     * ({@code berth.public-url}): so the port is fixed before the context starts.
     */
    public TestSettings port(int port) {
        set("server.port", port);
        return publicAddress("127.0.0.1:" + port);
    }

    /** The host and port Berth names as its own, {@code http://} in front. */
    public TestSettings publicAddress(String hostAndPort) {
        return set("berth.public-url", "http://" + hostAndPort);
    }

    /** The catalog syncs with the registry only when a test asks: neither at start nor on a schedule. */
    public TestSettings catalogSyncOnlyWhenAsked() {
        set("berth.catalog.sync-on-start", "false");
        return set("berth.catalog.full-sync-interval", "0s");
    }

    /** A new database of its own on the test JVM's one PostgreSQL (with the {@code postgres} profile). */
    public TestSettings postgres(String database) {
        String url = PostgresServer.get().newDatabase(database);
        set("spring.datasource.url", url);
        set("spring.datasource.username", "berth");
        return set("spring.datasource.password", "");
    }

    public TestSettings set(String name, Object value) {
        registry.add(name, () -> value);
        return this;
    }
}
