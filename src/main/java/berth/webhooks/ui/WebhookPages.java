package berth.webhooks.ui;

import berth.base.ui.ProjectSection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The project page links to this module's "Webhooks" page, for the project's ADMINs. */
@Configuration(proxyBeanMethods = false)
class WebhookPages {

    @Bean
    ProjectSection webhooksSection() {
        return new ProjectSection("webhooks", "project.webhooks", true, 50);
    }
}
