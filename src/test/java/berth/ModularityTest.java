package berth;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTest {

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
}
