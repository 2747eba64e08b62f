package berth.e2e;

import berth.catalog.remote.DistributionConfig;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Berth in external mode as a Spring test starts it, in front of a real CNCF Distribution configured
 * with the very fragment Berth hands out (Berth's token service, Berth's notifications endpoint,
 * deletes on). Both ports are fixed before anything starts, because each names the other; the
 * Distribution needs Berth's token certificate, so it starts once Berth runs.
 */
public final class ExternalMode implements AutoCloseable {

    private final int berthPort = FreePorts.next();
    private final int registryPort = FreePorts.next();
    private final String eventsSecret;
    private @Nullable Path dataDir;
    private @Nullable DistributionRegistry distribution;

    public ExternalMode(String eventsSecret) {
        this.eventsSecret = eventsSecret;
    }

    /**
     * Berth's settings, from the test's {@code @DynamicPropertySource}: its data in a new scratch
     * directory named after {@code prefix}; the catalog syncs only when the test asks.
     */
    public TestSettings settings(DynamicPropertyRegistry registry, String prefix) {
        Path dir = ScratchDirectories.create(prefix);
        dataDir = dir;
        return TestSettings.of(registry).data(dir).port(berthPort).catalogSyncOnlyWhenAsked()
                .set("berth.registry.mode", "external")
                .set("berth.registry.url", "http://127.0.0.1:" + registryPort)
                .set("berth.registry.public-url", "http://127.0.0.1:" + registryPort)
                .set("berth.registry.events-secret", eventsSecret);
    }

    /** Starts the Distribution with Berth's fragment and certificate, its storage and config under Berth's data. */
    public DistributionRegistry startDistribution(DistributionConfig berthsFragment) throws IOException {
        if (distribution != null) {
            throw new IllegalStateException("the Distribution runs already");
        }
        Path dir = Files.createDirectories(dataDir().resolve("distribution"));
        Path certificate = dir.resolve("berth-token.crt");
        Files.writeString(certificate, berthsFragment.certificatePem());
        DistributionRegistry started = DistributionRegistry.start(registryPort, dir, berthsFragment.fragment(certificate.toString()));
        distribution = started;
        return started;
    }

    public boolean distributionRuns() {
        return distribution != null;
    }

    /** The running Distribution. */
    public DistributionRegistry distribution() {
        if (distribution == null) {
            throw new IllegalStateException("the Distribution has not been started");
        }
        return distribution;
    }

    /** Berth's data directory. */
    public Path dataDir() {
        if (dataDir == null) {
            throw new IllegalStateException("Berth's settings have not been written");
        }
        return dataDir;
    }

    public String berthUrl() {
        return "http://127.0.0.1:" + berthPort;
    }

    public int berthPort() {
        return berthPort;
    }

    public String eventsSecret() {
        return eventsSecret;
    }

    /** Stops the Distribution, if it runs; the next test class may start another. */
    @Override
    public void close() {
        if (distribution != null) {
            distribution.close();
            distribution = null;
        }
    }
}
