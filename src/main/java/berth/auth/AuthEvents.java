package berth.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Publishes {@link AuthEvent}s with the address and channel of the request being served. The
 * address is the servlet's remote address: {@code X-Forwarded-For} counts only where
 * {@code server.forward-headers-strategy} trusts the proxy that sent it.
 */
@Component
class AuthEvents {

    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    AuthEvents(ApplicationEventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    void publish(AuthEvent.Kind kind, String actor, @Nullable String project, String detail) {
        HttpServletRequest request = currentRequest();
        String via = request == null ? "console" : request.getRequestURI().startsWith("/api/") ? "api"
                : request.getRequestURI().startsWith("/auth/") || request.getRequestURI().startsWith("/v2/") ? "registry" : "console";
        publisher.publishEvent(new AuthEvent(kind, clock.instant(), actor, request == null ? null : request.getRemoteAddr(),
                via, project, detail));
    }

    private static @Nullable HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
