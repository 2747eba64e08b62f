package berth.audit.ui;

import berth.base.ui.ProjectSection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The project page links to this module's "Activity" page, for the project's ADMINs. */
@Configuration(proxyBeanMethods = false)
class AuditPages {

    @Bean
    ProjectSection activitySection() {
        return new ProjectSection("activity", "project.activity", true, 40);
    }
}
