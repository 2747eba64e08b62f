package berth.auth.ui;

import berth.base.ui.ProjectSection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The project page links to this module's members page, for the project's ADMINs. */
@Configuration(proxyBeanMethods = false)
class AuthPages {

    @Bean
    ProjectSection membersSection() {
        return new ProjectSection("members", "project.members-appkeys", true, 20);
    }
}
