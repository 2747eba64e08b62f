package berth.policy.ui;

import berth.base.ui.ProjectSection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The project page links to this module's Policies page. */
@Configuration(proxyBeanMethods = false)
class PolicyPages {

    @Bean
    ProjectSection policiesSection() {
        return new ProjectSection("policies", "project.policies", false, 30);
    }
}
