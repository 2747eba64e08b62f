package berth.auth;

import berth.base.BerthSettings;
import berth.base.Caches;
import berth.oci.Access;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Issues and verifies the registry's bearer tokens (JWT, RS256), in the format of the Docker token
 * authentication spec that CNCF Distribution 2.8 and 3.x accept: {@code aud} a string, the signing
 * certificate in {@code x5c} and a libtrust {@code kid} in the header.
 */
@Service
public class RegistryTokens {

    /** Clocks of registry and token service may differ a little. */
    static final Duration LEEWAY = Duration.ofSeconds(60);

    private final SigningKey key;
    private final AuthSettings.Token settings;
    private final BerthSettings berth;
    private final Clock clock;
    private final RSASSASigner signer;
    private final RSASSAVerifier verifier;
    /** Verified tokens by their whole text; each leaves when it expires, or the least used when full. */
    private final Cache<String, RememberedToken> verified;

    RegistryTokens(SigningKey key, AuthSettings settings, BerthSettings berth, Clock clock, Caches caches) {
        this.key = key;
        this.settings = settings.token();
        this.berth = berth;
        this.clock = clock;
        this.signer = new RSASSASigner(key.privateKey());
        this.verifier = new RSASSAVerifier(key.publicKey());
        this.verified = caches.build("berth.auth.tokens", Caffeine.newBuilder().maximumSize(this.settings.cacheSize())
                .expireAfter(Expiry.creating((String token, RememberedToken remembered) ->
                        Duration.between(clock.instant(), remembered.expiresAt()))));
    }

    /** A signed token and what a token response says about it. */
    public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {
    }

    /** What a valid token lets its bearer do. */
    public record VerifiedToken(String subject, List<Access> access) {

        public boolean allows(String type, String name, String action) {
            return access.stream().anyMatch(a -> a.allows(type, name, action));
        }
    }

    /** The realm of the registry's {@code WWW-Authenticate: Bearer} challenge: Berth's token endpoint. */
    public String realm() {
        String base = berth.publicUrl().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/auth/token";
    }

    /** The service name of challenges, and the audience of every token. */
    public String service() {
        return settings.service();
    }

    public IssuedToken issue(String subject, Collection<Access> access) {
        Instant now = clock.instant();
        Duration lifetime = settings.lifetime().compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : settings.lifetime();
        List<Map<String, Object>> accessClaim = new ArrayList<>();
        for (Access a : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", a.type());
            entry.put("name", a.name());
            entry.put("actions", a.actions().stream().sorted().toList());
            accessClaim.add(entry);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(settings.service())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", accessClaim)
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.libtrustKeyId())
                .x509CertChain(key.certificateChain())
                .build();
        return new IssuedToken(sign(header, claims), now, lifetime);
    }

    /**
     * Checks signature, issuer, audience and lifetime; an invalid token yields nothing, never an
     * exception. A client sends the same token with every request of a pull or push, so a token
     * once verified is remembered (by its whole text, signature included) until it expires: the
     * RSA check and JSON parse then happen once per token, not once per request.
     */
    public Optional<VerifiedToken> verify(String token) {
        Instant now = clock.instant();
        RememberedToken remembered = verified.getIfPresent(token);
        if (remembered != null) {
            return remembered.validAt(now) ? Optional.of(remembered.token()) : Optional.empty();
        }
        Optional<JWTClaimsSet> claims = valid(token, settings.service(), LEEWAY);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        VerifiedToken result = new VerifiedToken(claims.get().getSubject(), accessOf(claims.get()));
        Instant notBefore = claims.get().getNotBeforeTime() == null ? Instant.MIN : claims.get().getNotBeforeTime().toInstant().minus(LEEWAY);
        verified.put(token, new RememberedToken(result, notBefore, claims.get().getExpirationTime().toInstant().plus(LEEWAY)));
        return Optional.of(result);
    }

    private record RememberedToken(VerifiedToken token, Instant notBefore, Instant expiresAt) {

        boolean validAt(Instant now) {
            return !notBefore.isAfter(now) && now.isBefore(expiresAt);
        }
    }

    /**
     * The claims of a token this service signed for {@code audience}, if it is valid now: issuer,
     * audience, subject, and expiry and not-before allowing {@code leeway}.
     */
    private Optional<JWTClaimsSet> valid(String token, String audience, Duration leeway) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            boolean valid = settings.issuer().equals(claims.getIssuer())
                    && claims.getAudience() != null && claims.getAudience().equals(List.of(audience))
                    && claims.getExpirationTime() != null && now.isBefore(claims.getExpirationTime().toInstant().plus(leeway))
                    && (claims.getNotBeforeTime() == null || !claims.getNotBeforeTime().toInstant().minus(leeway).isAfter(now))
                    && claims.getSubject() != null;
            return valid ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<Access> accessOf(JWTClaimsSet claims) {
        Object raw = claims.getClaim("access");
        List<Access> access = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && map.get("type") instanceof String type
                        && map.get("name") instanceof String name && map.get("actions") instanceof List<?> actions) {
                    access.add(new Access(type, name, Set.copyOf(actions.stream().map(String::valueOf).toList())));
                }
            }
        }
        return access;
    }

    /** The audience of refresh tokens: never the registry's, so a refresh token opens no registry door. */
    static final String REFRESH_AUDIENCE = "berth-refresh";

    /** What a valid refresh token says: who logged in, with which Appkey, until when. */
    record RefreshClaims(String subject, long appkeyId, Instant expiresAt) {
    }

    String issueRefresh(String subject, long appkeyId, Instant expiresAt) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(REFRESH_AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .claim("appkey", appkeyId)
                .build();
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
    }

    private String sign(JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** A refresh token is checked to the second: no leeway stretches the 12 hours. */
    Optional<RefreshClaims> verifyRefresh(String token) {
        return valid(token, REFRESH_AUDIENCE, Duration.ZERO)
                .filter(claims -> claims.getClaim("appkey") instanceof Number)
                .map(claims -> new RefreshClaims(claims.getSubject(), ((Number) claims.getClaim("appkey")).longValue(),
                        claims.getExpirationTime().toInstant()));
    }

    /** The certificate that verifies Berth's tokens, PEM, for Distribution's {@code rootcertbundle}. */
    public String certificatePem() {
        return key.certificatePem();
    }
}
