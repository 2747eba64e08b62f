package berth.e2e.registry;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.oci.Access;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The garbage collection storm of {@link GarbageCollectionStressIT} with the write barrier's rows on
 * a real PostgreSQL: its row locks ({@code SELECT ... FOR UPDATE}, an {@code IN} list per batch),
 * the rows created outside the locking transaction (a duplicate key aborts a PostgreSQL transaction)
 * and the lease are PostgreSQL's, not H2's. Same assertions: with grace 0 only
 * MANIFEST_BLOB_UNKNOWN / BLOB_UNKNOWN failures and everything left whole, with the default grace
 * none. A context of its own (port, data, database), so it is no subclass of
 * {@link EmbeddedRegistryTest}. Bounded by {@code -Dberth.gc.stress.postgres.seconds} (default 60).
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({"test", "postgres"})
class GarbageCollectionPostgresIT {

    private static final int PORT = FreePorts.next();
    private static final Path DATA = ScratchDirectories.create("berth-gc-postgres-it").resolve("data");
    private static final List<String> REPOSITORIES = List.of("gcpg/a", "gcpg/b");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).data(DATA).port(PORT).postgres("berth_gc_race_it");
    }

    @Autowired
    RegistryTokens tokens;

    @Test
    void pushes_deletes_and_collection_together_leave_every_tag_whole_on_postgresql() throws Exception {
        BerthApi api = new BerthApi(PORT);
        api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "gcpg");
        List<Access> access = REPOSITORIES.stream().map(r -> Access.repository(r, List.of("pull", "push", "delete"))).toList();
        GcStorm storm = new GcStorm(new RegistryHttp("http://127.0.0.1:" + PORT), () -> tokens.issue(BerthApi.ADMIN_EMAIL, access).token(),
                grace -> GarbageCollectionStressIT.collect(api, grace), REPOSITORIES, DATA.resolve("registry/docker/registry/v2"));
        GarbageCollectionStressIT.assertStorms(storm, Long.getLong("berth.gc.stress.postgres.seconds", 60), "filesystem, PostgreSQL");
    }
}
