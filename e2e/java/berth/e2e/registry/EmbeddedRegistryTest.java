package berth.e2e.registry;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.e2e.TestImages;
import berth.oci.Access;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Berth with its embedded registry on a fixed free port, shared by every registry test class:
 * identical configuration, so Spring starts it once. The port is fixed before start because the
 * token realm in challenges must name it ({@code berth.public-url}).
 */
@SpringBootTest(classes = BerthApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
public abstract class EmbeddedRegistryTest {

    protected static final int PORT = FreePorts.next();
    protected static final Path WORK = temporaryDirectory("berth-registry-it");
    protected static final Path DATA = WORK.resolve("data");
    /** What docker-registry's {@code rootdirectory} must be to share Berth's storage. */
    protected static final Path STORAGE_ROOT = DATA.resolve("registry");
    protected static final String ADMIN = BerthApi.ADMIN_EMAIL;
    protected static final String ADMIN_PASSWORD = BerthApi.ADMIN_PASSWORD;

    private static final Set<String> PROJECTS = new HashSet<>();

    @DynamicPropertySource
    static void embeddedRegistry(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).data(DATA).port(PORT);
    }

    @Autowired
    protected RegistryTokens tokens;

    protected final BerthApi api = new BerthApi(PORT);

    /** {@code 127.0.0.1:<port>}, as it prefixes repository names for clients. */
    protected static String address() {
        return "127.0.0.1:" + PORT;
    }

    protected static String baseUrl() {
        return "http://" + address();
    }

    /** Creates the project once per test run, with the test administrator as its ADMIN. */
    protected void project(String name) {
        synchronized (PROJECTS) {
            if (PROJECTS.add(name)) {
                api.createProject(ADMIN, ADMIN_PASSWORD, name);
            }
        }
    }

    /** The administrator's Appkey of a project, for {@code --creds email:appkey}. */
    protected String adminAppkey(String project) {
        project(project);
        return api.appkey(ADMIN, ADMIN_PASSWORD, project);
    }

    /** A token as Berth's token service would mint it, for {@code subject} with exactly these actions on the repositories. */
    protected String token(String subject, List<String> repositories, String... actions) {
        List<Access> access = new ArrayList<>();
        for (String repository : repositories) {
            access.add(Access.repository(repository, List.of(actions)));
        }
        return tokens.issue(subject, access).token();
    }

    protected String token(String repository, String... actions) {
        return token(ADMIN, List.of(repository), actions);
    }

    /**
     * A directory {@code name} under the tests' scratch directory to make and pull images in, once the
     * tools that make test images are known to be there.
     */
    protected static Path imageDirectory(String name) throws IOException {
        TestImages.requireTools();
        return Files.createDirectories(WORK.resolve(name));
    }

    protected static Path temporaryDirectory(String prefix) {
        return ScratchDirectories.create(prefix);
    }
}
