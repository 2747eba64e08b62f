package berth.base;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests refused before any servlet sees them get Berth's words, not a container's page. Tomcat
 * refuses a path with an encoded NUL, a backslash or a malformed %-escape, and headers over the
 * size limit, with an HTML page of its own; Spring Security's firewall refuses encoded slashes and
 * dot segments with a bare error that the console's login would catch. Both are answered in the
 * format of the module whose path it is ({@link RefusedRequestAnswer}; the registry's OCI errors on
 * {@code /v2/}), as {@code {error, message}} under {@code /api/} and {@code /auth/}, and with a plain
 * sentence elsewhere.
 */
@Configuration(proxyBeanMethods = false)
class RefusedRequests {

    /**
     * Swaps the host's error report valve for Berth's when the host starts: by then Spring Boot has
     * added its own (an {@link ErrorReportValve} without report or server info), which this replaces.
     */
    @Bean
    TomcatContextCustomizer refusedRequestsInBerthsWords(ObjectProvider<RefusedRequestAnswer> answers) {
        return context -> context.getParent().addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && event.getLifecycle() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new Report(answers.orderedStream().toList()));
                host.setErrorReportValveClass(Report.class.getName()); // so the host adds no default one beside it
            }
        });
    }

    /**
     * A raw backslash in the path fails Tomcat's request-line parser, before the path is known, so
     * the answer could not be in the path's module's format. Let through the parser, it reaches the
     * URI check (backslashes stay refused there: {@code allowBackslash} is off) with the path known.
     */
    @Bean
    TomcatConnectorCustomizer backslashesReachTheUriCheck() {
        return connector -> connector.setProperty("relaxedPathChars", "\\");
    }

    /**
     * A path Spring's request-path parsing cannot split into the servlet's mapping and the rest: a
     * {@code ;} (a path parameter, {@code /v2;/}), or a raw path that does not begin with the
     * servlet's path ({@code ///v2/}, {@code /%76%32/}: Tomcat normalises and decodes the mapping, not
     * the raw path). Spring Security's firewall refuses these, but the parsing runs before it and
     * threw, with a stack trace in the log (found by BlackBoxFuzzIT). Refused here, before either.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> pathParametersRefused(ObjectProvider<RefusedRequestAnswer> answers) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!splitsCleanly(request)) {
                    answer(answers.orderedStream().toList(), request, response, 400, true);
                    return;
                }
                chain.doFilter(request, response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static boolean splitsCleanly(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return true;
        }
        if (uri.indexOf(';') >= 0) {
            return false;
        }
        // Only a prefix mapping (the registry's /v2/*) is split off the raw path; the default servlet's
        // and Vaadin's /* keep the whole path as the rest, with nothing to split. A prefix mapping is split
        // even with no path after it ("///v2" is servlet path "/v2" and no path info).
        if (request.getHttpServletMapping().getMappingMatch() != MappingMatch.PATH) {
            return true;
        }
        String mapping = request.getContextPath() + request.getServletPath();
        return uri.startsWith(mapping) && (uri.length() == mapping.length() || uri.charAt(mapping.length()) == '/');
    }

    /** Tomcat's error report valve with Berth's answers; only errors nothing else answered reach it. */
    static final class Report extends ErrorReportValve {

        private final List<RefusedRequestAnswer> answers;

        Report(List<RefusedRequestAnswer> answers) {
            this.answers = answers;
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, @Nullable Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own: only an error the container raised (sendError) and nobody answered.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            String message = response.getMessage();
            try {
                response.resetBuffer();
                answer(answers, request, response, status, message != null && message.startsWith("Invalid URI"));
            } catch (IOException | IllegalStateException clientGoneOrCommitted) {
                // nothing more can be said on this connection
            }
        }
    }

    /** The firewall's refusals: mostly of the path; also of a method or header it does not allow. */
    @Bean
    RequestRejectedHandler refusedPathsInBerthsWords(ObjectProvider<RefusedRequestAnswer> answers) {
        return (request, response, rejected) -> {
            String why = rejected.getMessage() == null ? "" : rejected.getMessage();
            boolean path = why.contains("URL") || why.contains("requestURI") || why.contains("servletPath") || why.contains("pathInfo");
            answer(answers.orderedStream().toList(), request, response, 400, path);
        };
    }

    static void answer(List<RefusedRequestAnswer> answers, HttpServletRequest request, HttpServletResponse response, int status,
                       boolean invalidPath) throws IOException {
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        for (RefusedRequestAnswer answer : answers) {
            if (answer.claims(path)) {
                answer.write(request, response, status, invalidPath);
                return;
            }
        }
        String sentence = sentence(status, invalidPath);
        if (path.startsWith("/api/") || path.startsWith("/auth/")) {
            ApiErrors.write(request, response, HttpStatusCode.valueOf(status), status >= 500 ? "server_error" : "invalid_request", sentence);
            return;
        }
        byte[] body = (sentence + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** What went wrong, for people. */
    private static String sentence(int status, boolean invalidPath) {
        if (invalidPath) {
            return "The address is not valid: its path holds '..', ';', an encoded slash, NUL or backslash, or a malformed %-escape.";
        }
        if (status >= 500) {
            return "Berth failed to handle the request; it is logged.";
        }
        return "Berth does not take this request: its method, a header or the size of its headers is not allowed.";
    }
}
