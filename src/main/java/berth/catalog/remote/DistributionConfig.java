package berth.catalog.remote;

import berth.auth.ProjectAccess;
import berth.auth.RegistryTokens;
import berth.base.BerthSettings;
import org.springframework.stereotype.Service;

/**
 * The part of a CNCF Distribution config that makes it Berth's external registry: Berth's token
 * service for {@code auth.token}, Berth's notifications endpoint, and deletes enabled (tag
 * deletion needs them). An operator merges it into the registry's {@code config.yml} and saves
 * the certificate as the {@code rootcertbundle} file.
 */
@Service
public record DistributionConfig(BerthSettings settings, RegistryTokens tokens, ProjectAccess access, CatalogJson json) {

    /** Where the fragment tells Distribution to find Berth's certificate; the operator saves it there. */
    public static final String CERTIFICATE_PATH = "/etc/docker/registry/berth-token.crt";

    /** The YAML fragment, with the events secret in it: system administrators only. */
    public String fragmentFor(String me) {
        access.requireSystemAdmin(me, "Only system administrators may see how the registry is set up.");
        return fragment(CERTIFICATE_PATH);
    }

    /** The fragment with the certificate at {@code certificatePath} (tests write their own). */
    public String fragment(String certificatePath) {
        String base = settings.publicUrl().toString().replaceAll("/+$", "");
        String secret = settings.registry().eventsSecret();
        String quotedSecret = secret == null || secret.isEmpty() ? "\"set BERTH_REGISTRY_EVENTS_SECRET and download this again\"" : quoted(secret);
        return """
                # CNCF Distribution (registry:2) settings that make it Berth's external registry.
                # Merge into the registry's config.yml; save the certificate from
                # %s as the rootcertbundle file.
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                storage:
                  delete:
                    enabled: true          # Berth deletes tags through the registry
                notifications:
                  endpoints:
                    # Pushes and deletions: the catalog shows them within a second.
                %s\
                    # Pulls, for pull counts, in a queue of their own: every manifest read is one, and a
                    # flood of them must not delay a push. Leave this endpoint out to skip pull counts.
                %s\
                """.formatted(
                base + "/auth/certs",
                quoted(tokens.realm()),
                quoted(tokens.service()),
                quoted(issuer()),
                quoted(certificatePath),
                endpoint("berth", base, quotedSecret, "pull"),
                endpoint("berth-pulls", base, quotedSecret, "push, delete, mount"));
    }

    /**
     * One notification endpoint pointing at Berth's events API. Layer and config uploads
     * ({@code application/octet-stream}) are left out: the catalog reads manifests.
     */
    private String endpoint(String name, String base, String quotedSecret, String ignoredActions) {
        return """
                    - name: %s
                      url: %s
                      headers:
                        Authorization: [%s]
                      timeout: 5s
                      threshold: 5
                      backoff: 2s
                      ignoredmediatypes:
                        - application/octet-stream
                      ignore:
                        actions: [%s]
                """.formatted(name, quoted(base + "/api/registry/events"), quotedSecret, ignoredActions);
    }

    /**
     * The {@code iss} of Berth's tokens, read from a token it mints: auth does not publish the
     * setting, and this way the fragment can never disagree with the tokens.
     */
    String issuer() {
        try {
            String token = tokens.issue(RegistryClient.SUBJECT, java.util.List.of()).token();
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("Berth's own registry token does not parse", e);
        }
    }

    public String certificatePem() {
        return tokens.certificatePem();
    }

    /** A YAML double-quoted scalar; JSON's string syntax is one. */
    private String quoted(String value) {
        return json.mapper().writeValueAsString(value);
    }
}
