package berth.registry.ui;

import berth.base.ui.ProjectSection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The project page links to this module's storage page. */
@Configuration(proxyBeanMethods = false)
class RegistryPages {

    @Bean
    ProjectSection storageSection() {
        return new ProjectSection("storage", "project.storage", false, 10);
    }
}
