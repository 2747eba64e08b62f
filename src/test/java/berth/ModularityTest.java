package berth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTest {

    /** Where the module documentation goes; README's "How the code is laid out" points here. */
    static final Path DOCUMENTATION = Path.of("target", "spring-modulith-docs");

    private final ApplicationModules modules = ApplicationModules.of(BerthApplication.class);

    @Test
    void modules_respect_their_boundaries() {
        modules.verify();
    }

    @Test
    void the_modules_of_the_architecture_exist() {
        assertThat(modules.stream().map(m -> m.getIdentifier().toString()))
                .contains("oci", "registry", "auth", "catalog", "base");
    }

    /**
     * Writes the module documentation: a PlantUML diagram of all modules and one per module, a
     * canvas per module (its API, Spring beans, events and settings) and all-docs.adoc joining them.
     */
    @Test
    void the_module_documentation_is_written_to_target() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(DOCUMENTATION.toString())).writeDocumentation();

        assertThat(DOCUMENTATION.resolve("all-docs.adoc")).isNotEmptyFile();
        assertThat(DOCUMENTATION.resolve("components.puml")).isNotEmptyFile();
        for (String module : new String[] {"oci", "registry", "auth", "catalog", "base"}) {
            assertThat(DOCUMENTATION.resolve("module-" + module + ".puml")).as(module).isNotEmptyFile();
            assertThat(DOCUMENTATION.resolve("module-" + module + ".adoc")).as(module).isNotEmptyFile();
        }
        try (var files = Files.list(DOCUMENTATION)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).contains("all-docs.adoc");
        }
    }
}
