package berth.registry.http;

import berth.auth.RegistryTokens;
import berth.auth.RegistryTokens.VerifiedToken;
import berth.oci.Access;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The bearer-token check of every request (Docker token authentication): no or an invalid token,
 * or a token without the route's action, is a 401 whose {@code WWW-Authenticate} challenge tells
 * the client where to get a token and for which scope - {@code error="insufficient_scope"} when
 * the token was valid but not enough, as CNCF Distribution answers.
 */
@Component
record TokenCheck(RegistryTokens tokens) {

    /** Thrown when the request may not proceed; carries the challenge header. */
    static final class Refusal extends RegistryException {
        private final String challenge;

        Refusal(String message, Object detail, String challenge) {
            super(ErrorCode.UNAUTHORIZED, message, detail);
            this.challenge = challenge;
        }

        String challenge() {
            return challenge;
        }
    }

    VerifiedToken check(@Nullable String authorization, Permission permission, @Nullable RepositoryName name) {
        return check(authorization, permission, name, null);
    }

    /**
     * As {@link #check(String, Permission, RepositoryName)}; {@code alsoPull}, the source of a
     * cross-repository mount, is named in the challenge's scope with pull as CNCF Distribution does,
     * though the request itself does not need it (a mount the token may not do becomes an upload).
     */
    VerifiedToken check(@Nullable String authorization, Permission permission, @Nullable RepositoryName name,
                        @Nullable RepositoryName alsoPull) {
        String scope = scopeOf(permission, name);
        if (scope != null && alsoPull != null && !alsoPull.equals(name)) {
            scope = scope + " repository:" + alsoPull.value() + ":pull";
        }
        Optional<VerifiedToken> token = Optional.empty();
        boolean presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (presented) {
            token = tokens.verify(authorization.substring(7).trim());
        }
        if (token.isEmpty()) {
            String error = presented ? ",error=\"invalid_token\"" : "";
            throw new Refusal(presented ? "The bearer token is invalid or expired; get a new one from " + tokens.realm() + "."
                    : "Authentication required: get a bearer token from " + tokens.realm() + ".",
                    detail(permission, name), challenge(scope) + error);
        }
        if (!allows(token.get(), permission, name)) {
            throw new Refusal("The token of " + token.get().subject() + " does not allow " + describe(permission, name) + ".",
                    detail(permission, name), challenge(scope) + ",error=\"insufficient_scope\"");
        }
        return token.get();
    }

    private static boolean allows(VerifiedToken token, Permission permission, @Nullable RepositoryName name) {
        return switch (permission) {
            case AUTHENTICATED -> true;
            case CATALOG -> token.allows(Access.REGISTRY, "catalog", "*");
            case PULL -> name != null && token.allows(Access.REPOSITORY, name.value(), Access.PULL);
            case PUSH -> name != null && token.allows(Access.REPOSITORY, name.value(), Access.PUSH);
            case DELETE -> name != null && token.allows(Access.REPOSITORY, name.value(), Access.DELETE);
        };
    }

    private String challenge(@Nullable String scope) {
        String challenge = "Bearer realm=\"" + tokens.realm() + "\",service=\"" + tokens.service() + "\"";
        return scope == null ? challenge : challenge + ",scope=\"" + scope + "\"";
    }

    private static @Nullable String scopeOf(Permission permission, @Nullable RepositoryName name) {
        return switch (permission) {
            case AUTHENTICATED -> null;
            case CATALOG -> "registry:catalog:*";
            default -> name == null ? null : "repository:" + name.value() + ":" + permission.challengeActions();
        };
    }

    private static String describe(Permission permission, @Nullable RepositoryName name) {
        return switch (permission) {
            case AUTHENTICATED -> "access";
            case CATALOG -> "listing the catalog";
            case PULL -> "pulling from " + name;
            case PUSH -> "pushing to " + name;
            case DELETE -> "deleting in " + name;
        };
    }

    private static Object detail(Permission permission, @Nullable RepositoryName name) {
        return switch (permission) {
            case AUTHENTICATED -> Map.of();
            case CATALOG -> List.of(Map.of("Type", "registry", "Name", "catalog", "Action", "*"));
            default -> List.of(Map.of("Type", "repository", "Name", name == null ? "" : name.value(),
                    "Action", permission == Permission.PUSH ? "push" : permission.challengeActions()));
        };
    }
}
