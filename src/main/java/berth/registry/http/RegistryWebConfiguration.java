package berth.registry.http;

import berth.base.BerthSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/** Puts the registry at {@code /v2/*} in embedded mode; in external mode CNCF Distribution serves it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "berth.registry.mode", havingValue = "embedded", matchIfMissing = true)
class RegistryWebConfiguration {

    @Bean
    ServletRegistrationBean<DistributionServlet> distributionServlet(Routes routes, TokenCheck tokenCheck, RegistryMetrics metrics,
            BerthSettings settings) {
        ServletRegistrationBean<DistributionServlet> registration =
                new ServletRegistrationBean<>(new DistributionServlet(routes, tokenCheck, metrics, settings), "/v2/*");
        registration.setName("registry");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Spring Security's firewall refuses encoded slashes and dots, dot segments and {@code //}
     * before any servlet runs. On {@code /v2/} the client is a registry client, so it gets the
     * refusal in the registry's words: {@code NAME_INVALID}.
     */
    @Bean
    RequestRejectedHandler registryPathTrickRefusal() {
        RequestRejectedHandler others = new HttpStatusRequestRejectedHandler();
        return (HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected) -> {
            String uri = request.getRequestURI();
            if (uri != null && (uri.equals("/v2") || uri.startsWith("/v2/"))) {
                response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
                ErrorResponses.write(request, response, DistributionServlet.pathTrick());
            } else {
                others.handle(request, response, rejected);
            }
        };
    }

    /**
     * Lets {@code %2F} through Tomcat (which would answer a bare 400 page) to the firewall above,
     * which still refuses it - now with an answer a registry client understands.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
