package berth.base;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where the request being served came from, for the audit log: the client's address (the servlet's
 * remote address: {@code X-Forwarded-For} counts only where {@code server.forward-headers-strategy}
 * trusts the proxy that sent it) and the channel.
 *
 * @param address null outside a request (a scheduled job)
 * @param via {@code api} ({@code /api/}), {@code registry} ({@code /v2/}, {@code /auth/}) or {@code console}
 */
public record RequestOrigin(@Nullable String address, String via) {

    public static RequestOrigin current() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return new RequestOrigin(null, "console");
        }
        HttpServletRequest request = attributes.getRequest();
        String path = request.getRequestURI();
        String via = path.startsWith("/api/") ? "api" : path.startsWith("/v2/") || path.startsWith("/auth/") ? "registry" : "console";
        return new RequestOrigin(request.getRemoteAddr(), via);
    }
}
