package berth.registry.http;

import berth.base.BerthSettings;
import berth.base.RefusedRequestAnswer;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
     * A {@code /v2/} request refused before the registry servlet ran - by Spring Security's firewall
     * (encoded slashes and dots, dot segments, {@code //}) or by Tomcat (an encoded NUL or backslash,
     * headers too large) - is answered as the servlet would: a path trick is {@code NAME_INVALID}.
     */
    @Bean
    RefusedRequestAnswer registryRefusedRequests() {
        return new RefusedRequestAnswer() {
            @Override
            public boolean claims(String path) {
                return isRegistryPath(path);
            }

            @Override
            public void write(HttpServletRequest request, HttpServletResponse response, int status, boolean invalidPath) throws IOException {
                answer(request, response, invalidPath ? DistributionServlet.pathTrick()
                        : new RegistryException(ErrorCode.UNSUPPORTED,
                        "The registry does not take this request: its method, a header or the size of its headers is not allowed.")
                                .withStatus(status));
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

    /**
     * Tomcat writes a large direct buffer to the socket in pieces of its per-connection write
     * buffer (8 KiB by default). Blobs copied to clients on this machine (BlobEndpoints) then go
     * out in 64 KiB writes, as large as a loopback segment, instead of eight times as many small
     * ones, for 56 KiB more per open connection.
     */
    @Bean
    TomcatConnectorCustomizer largeSocketWrites() {
        return connector -> connector.setProperty("socket.appWriteBufSize", String.valueOf(64 * 1024));
    }

    private static boolean isRegistryPath(String path) {
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    /** A refusal before the registry servlet ran, answered as the servlet would. */
    private static void answer(HttpServletRequest request, HttpServletResponse response, RegistryException refusal) throws IOException {
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        ErrorResponses.write(request, response, refusal);
    }
}
