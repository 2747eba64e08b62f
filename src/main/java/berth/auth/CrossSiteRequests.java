package berth.auth;

import berth.base.ApiErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The REST API's defence against cross-site requests. It has no cookies, but a browser that once
 * signed in with HTTP Basic replays those credentials to any page's form post or {@code fetch}. A
 * state-changing call is therefore refused when it comes from another origin (403), and when it
 * carries a body that is not JSON (415): a cross-site page can send a form or plain text without
 * asking, but JSON only after a CORS preflight, which Berth never grants. Scripts and curl send
 * no {@code Origin}, or Berth's own.
 */
final class CrossSiteRequests extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SAFE_METHODS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameOrigin(origin, request)) {
            ApiErrors.write(request, response, HttpStatus.FORBIDDEN, "forbidden",
                    "Berth's API does not take state-changing calls from another site's pages (Origin " + printable(origin) + ").");
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && !json(contentType)) {
            ApiErrors.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", ApiErrors.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The page's origin is the address this request came to (after a proxy's X-Forwarded-*, when Berth trusts them). */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        String own = scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
        return own.equalsIgnoreCase(origin);
    }

    private static boolean json(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.isWildcardSubtype()
                    || "application".equals(type.getType()) && type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
    }
}
