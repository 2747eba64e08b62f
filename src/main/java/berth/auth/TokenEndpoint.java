package berth.auth;

import berth.base.ApiErrors;
import berth.base.InvalidRequestException;
import berth.oci.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Docker token service: {@code GET /auth/token} (token authentication spec, Basic email:Appkey)
 * and {@code POST /auth/token} (OAuth2 password and refresh_token grants, as {@code docker login}
 * uses), plus the certificate a CNCF Distribution registry needs to trust what is issued here.
 */
@RestController
record TokenEndpoint(Appkeys appkeys, ProjectAccess access, TokenGrants grants, RegistryTokens tokens, LoginThrottle throttle,
        AuthSettings settings, Clock clock) {

    @GetMapping(path = "/auth/certs", produces = "application/x-pem-file")
    String certificate() {
        return tokens.certificatePem();
    }

    @GetMapping(path = "/auth/token", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> token(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam(name = "offline_token", required = false) @Nullable String offlineToken,
            HttpServletRequest request) {
        // Read raw: binding to List<String> would split "pull,push" at the comma.
        String[] scope = request.getParameterValues("scope");
        List<Scope> scopes = parseScopes(scope == null ? List.of() : List.of(scope));
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "unauthorized", "Log in with your account email and an Appkey.");
        }
        return login(basic.get()[0], basic.get()[1], scopes, "true".equalsIgnoreCase(offlineToken), request, false);
    }

    /** Any other body: the OAuth2 token endpoint takes a form only (RFC 6749). */
    @PostMapping(path = "/auth/token")
    ResponseEntity<?> notAForm() {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Send the grant as a form (Content-Type: application/x-www-form-urlencoded).");
    }

    @PostMapping(path = "/auth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> oauth(@RequestParam MultiValueMap<String, String> form, HttpServletRequest request) {
        String grantType = form.getFirst("grant_type");
        List<Scope> scopes = parseScopes(form.getOrDefault("scope", List.of()));
        boolean offline = "offline".equals(form.getFirst("access_type"));
        if ("password".equals(grantType)) {
            String username = form.getFirst("username");
            String password = form.getFirst("password");
            if (username == null || password == null) {
                return error(HttpStatus.BAD_REQUEST, "invalid_request", "The password grant needs username and password.");
            }
            return login(username, password, scopes, offline, request, true);
        }
        if ("refresh_token".equals(grantType)) {
            String refresh = form.getFirst("refresh_token");
            if (refresh == null) {
                return error(HttpStatus.BAD_REQUEST, "invalid_request", "The refresh_token grant needs a refresh_token.");
            }
            return refresh(refresh, scopes);
        }
        return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "grant_type must be password or refresh_token.");
    }

    private ResponseEntity<?> login(String username, String secret, List<Scope> scopes, boolean offline,
            HttpServletRequest request, boolean oauth) {
        String address = request.getRemoteAddr();
        throttle.check(username, address);
        Optional<Appkeys.Login> login = appkeys.authenticate(username, secret);
        if (login.isEmpty()) {
            throttle.failed(username, address);
            return error(HttpStatus.UNAUTHORIZED, oauth ? "invalid_grant" : "unauthorized",
                    "The username or Appkey is not right. Use your account email and an Appkey of the project.");
        }
        Map<String, Object> response = issue(login.get(), scopes);
        if (offline) {
            Duration lifetime = refreshLifetime();
            response.put("refresh_token", tokens.issueRefresh(login.get().subject(), login.get().appkeyId(), clock.instant().plus(lifetime)));
        }
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(response);
    }

    private ResponseEntity<?> refresh(String refreshToken, List<Scope> scopes) {
        Optional<RegistryTokens.RefreshClaims> claims = tokens.verifyRefresh(refreshToken);
        Optional<Appkeys.Login> login = claims.flatMap(c -> appkeys.stillValid(c.appkeyId()))
                .filter(l -> l.subject().equals(claims.get().subject()));
        if (login.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_grant", "This login has expired or its Appkey was replaced; log in again.");
        }
        Map<String, Object> response = issue(login.get(), scopes);
        // The same refresh token again: a login's lifetime counts from the login, never from a refresh.
        response.put("refresh_token", refreshToken);
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(response);
    }

    private Map<String, Object> issue(Appkeys.Login login, List<Scope> scopes) {
        var granted = grants.grant(login, access.isSystemAdmin(login.subject()), scopes);
        RegistryTokens.IssuedToken token = tokens.issue(login.subject(), granted);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("token", token.token());
        response.put("access_token", token.token());
        response.put("expires_in", token.expiresIn().toSeconds());
        response.put("issued_at", token.issuedAt().toString());
        if (!granted.isEmpty()) {
            response.put("scope", String.join(" ", granted.stream().map(a -> new Scope(a.type(), a.name(), a.actions()).toString()).toList()));
        }
        return response;
    }

    /** Never above 12 hours, whatever is configured: the guide's limit for what docker login keeps. */
    private Duration refreshLifetime() {
        Duration configured = settings.token().refreshLifetime();
        Duration max = Duration.ofHours(12);
        return configured.compareTo(max) > 0 || configured.isNegative() || configured.isZero() ? max : configured;
    }

    private List<Scope> parseScopes(List<String> raw) {
        try {
            List<Scope> scopes = Scope.parseAll(raw);
            scopes.stream().filter(s -> s.type().equals(berth.oci.Access.REPOSITORY)).forEach(s -> grants.checkName(s.name()));
            return scopes;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static Optional<String[]> basic(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<?> error(HttpStatus status, String code, String message) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Berth\", charset=\"UTF-8\"");
        }
        return builder.body(ApiErrors.problem(status, code, message));
    }

}
