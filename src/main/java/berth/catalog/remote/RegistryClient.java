package berth.catalog.remote;

import berth.auth.ProjectAccess;
import berth.auth.RegistryTokens;
import berth.base.BerthSettings;
import berth.base.Caches;
import berth.catalog.CatalogSettings;
import berth.catalog.RegistryRefusedException;
import berth.catalog.RegistryUnavailableException;
import berth.oci.Access;
import berth.oci.Digest;
import berth.oci.MediaTypes;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry as the catalog sees it: the v2 API over HTTP, authorized by tokens Berth mints for
 * itself (subject {@value #SUBJECT}), so the same client works against the embedded engine and a
 * CNCF Distribution. Always asks for every manifest type (Distribution answers an OCI manifest
 * asked for with Docker types only by 404), follows {@code Link} pagination, retries what failed
 * on the way with growing pauses, and never has more than {@code berth.catalog.parallelism}
 * requests in flight.
 */
@Component
public class RegistryClient {

    /** The subject of the catalog's own tokens; pulls by it are the catalog reading, not people pulling. */
    public static final String SUBJECT = ProjectAccess.CATALOG_READER;

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int PAGE_SIZE = 1000;
    /**
     * Distribution 2.8 has no wildcard scopes, so a token names the repositories it may read. Few per
     * token: Distribution parses the whole token on every request, and with a hundred names in it
     * (11 KB) a manifest GET cost it 3.4 ms of CPU against 2.2-2.7 ms with one to ten (wrk, 8
     * connections) - and during a full sync Distribution's CPU is what the sync waits for.
     */
    private static final int REPOSITORIES_PER_TOKEN = 10;
    private static final String CATALOG_KEY = "registry:catalog:*";

    private final BerthSettings berth;
    private final CatalogSettings settings;
    private final RegistryTokens tokens;
    private final Environment environment;
    private final Clock clock;
    private final RegistryExchange exchange;
    /** Read tokens by repository; each is used until shortly before it expires ({@link #fresh}). */
    private final Cache<String, CachedToken> tokenCache;
    /** Connection failures, 5xx and 429 are tried again after 100 ms, 400 ms, 1.6 s, ... */
    private final RetryTemplate onFailure;
    private final JsonMapper json;

    RegistryClient(BerthSettings berth, CatalogSettings settings, RegistryTokens tokens, Environment environment, Clock clock,
                   RegistryExchange exchange, Caches caches, CatalogJson json) {
        this.json = json.mapper();
        this.berth = berth;
        this.settings = settings;
        this.tokens = tokens;
        this.environment = environment;
        this.clock = clock;
        this.exchange = exchange;
        this.tokenCache = caches.build("berth.catalog.registry-tokens", Caffeine.newBuilder().maximumSize(settings.tokenCacheSize()));
        this.onFailure = new RetryTemplate(RetryPolicy.builder()
                .includes(IOException.class, RetryableAnswer.class)
                .maxRetries(Math.max(0, settings.retries()))
                .delay(Duration.ofMillis(100))
                .multiplier(4)
                .maxDelay(Duration.ofMinutes(1))
                .build());
    }

    /** A 5xx or 429: worth asking again after a pause. */
    private static final class RetryableAnswer extends RuntimeException {
        private final transient Response response;

        RetryableAnswer(Response response) {
            super("HTTP " + response.status(), null, false, false);
            this.response = response;
        }
    }

    private record CachedToken(String value, Instant renewAt) {
    }

    /** A manifest's identity as a HEAD tells it. */
    public record ManifestHead(Digest digest, String mediaType, long size) {
    }

    /** A manifest as the registry serves it. */
    public record FetchedManifest(Digest digest, String mediaType, byte[] body) {
    }

    private record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    private record CatalogPage(@Nullable List<String> repositories) {
    }

    private record TagPage(@Nullable String name, @Nullable List<String> tags) {
    }

    /** How many requests this client has sent since start; the sync reports its rate. */
    public long requestCount() {
        return exchange.requestCount();
    }

    /** The base URL of the registry as Berth reaches it. */
    URI baseUrl() {
        URI configured = berth.registry().url();
        if (configured != null) {
            return stripSlash(configured);
        }
        if (berth.registry().mode() == BerthSettings.RegistryMode.EXTERNAL) {
            throw new RegistryUnavailableException(
                    "berth.registry.mode is external but BERTH_REGISTRY_URL is not set, so the catalog cannot reach the registry.");
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return URI.create("http://127.0.0.1:" + port);
    }

    private static URI stripSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    /**
     * Every repository name, across all pages of {@code _catalog}. A name Berth's rules refuse (a
     * registry filled by other means may hold one) is left out with a warning: the catalog cannot hold it.
     */
    public List<RepositoryName> repositories() {
        List<RepositoryName> names = new ArrayList<>();
        URI next = URI.create(baseUrl() + "/v2/_catalog?n=" + PAGE_SIZE);
        while (next != null) {
            Response response = send(get(next, catalogToken()), "GET _catalog");
            ensureOk(response, "GET _catalog");
            CatalogPage page = json.readValue(response.body(), CatalogPage.class);
            if (page.repositories() != null) {
                for (String listed : page.repositories()) {
                    try {
                        names.add(new RepositoryName(listed));
                    } catch (RegistryException e) {
                        log.warn("The registry lists a repository the catalog leaves out: {}", e.getMessage());
                    }
                }
            }
            next = nextPage(response);
        }
        return names;
    }

    /** The tags of a repository, all pages; empty when the registry does not know the repository. */
    public Optional<List<String>> tags(RepositoryName repository) {
        List<String> names = new ArrayList<>();
        URI next = URI.create(baseUrl() + "/v2/" + repository + "/tags/list?n=" + PAGE_SIZE);
        while (next != null) {
            Response response = send(get(next, pullToken(repository.value())), "GET tags of " + repository);
            if (response.status() == 404) {
                return Optional.empty();
            }
            ensureOk(response, "GET tags of " + repository);
            TagPage page = json.readValue(response.body(), TagPage.class);
            if (page.tags() != null) {
                names.addAll(page.tags());
            }
            next = nextPage(response);
        }
        return Optional.of(names);
    }

    /** What a tag (or digest) points at now; empty when the registry has no such manifest. */
    public Optional<ManifestHead> head(RepositoryName repository, String reference) {
        URI uri = manifestUri(repository, reference);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", MediaTypes.acceptAllManifests())
                .header("Authorization", "Bearer " + pullToken(repository.value()))
                .timeout(settings.requestTimeout())
                .build();
        Response response = send(request, "HEAD " + repository + ":" + reference);
        if (response.status() == 404) {
            return Optional.empty();
        }
        ensureOk(response, "HEAD " + repository + ":" + reference);
        String digest = response.header("Docker-Content-Digest").orElseThrow(() ->
                new RegistryRefusedException("HEAD " + repository + ":" + reference, response.status(), "no Docker-Content-Digest header"));
        return Optional.of(new ManifestHead(digest("HEAD " + repository + ":" + reference, response, digest),
                response.header("Content-Type").orElse(""),
                response.headers().firstValueAsLong("Content-Length").orElse(0)));
    }

    /** A manifest by tag or digest; empty when the registry has none. */
    public Optional<FetchedManifest> manifest(RepositoryName repository, String reference) {
        Response response = send(HttpRequest.newBuilder(manifestUri(repository, reference))
                .GET()
                .header("Accept", MediaTypes.acceptAllManifests())
                .header("Authorization", "Bearer " + pullToken(repository.value()))
                .timeout(settings.requestTimeout())
                .build(), "GET manifest " + repository + ":" + reference);
        if (response.status() == 404) {
            return Optional.empty();
        }
        ensureOk(response, "GET manifest " + repository + ":" + reference);
        return Optional.of(fetched("GET manifest " + repository + ":" + reference, response));
    }

    private static FetchedManifest fetched(String what, Response response) {
        String mediaType = response.header("Content-Type").orElse("");
        Digest digest = response.header("Docker-Content-Digest").map(header -> digest(what, response, header))
                .orElseGet(() -> Digest.sha256(response.body()));
        return new FetchedManifest(digest, mediaType, response.body());
    }

    /** The registry's {@code Docker-Content-Digest}, parsed once here; one Berth could not use is the registry's fault. */
    private static Digest digest(String what, Response response, String header) {
        try {
            return Digest.parse(header);
        } catch (RegistryException e) {
            throw new RegistryRefusedException(what, response.status(), "Docker-Content-Digest: " + e.getMessage());
        }
    }

    /** What a tag points at now: the digest, and the manifest too when it is not the one the caller knew. */
    public record TagState(Digest digest, @Nullable FetchedManifest manifest) {
    }

    /**
     * What a tag points at now, asked as a GET with {@code If-None-Match} of the digest the caller
     * has (if any): a tag still there answers 304, which costs the registry no manifest read and, on
     * CNCF Distribution, sends no pull notification (a HEAD would send one); otherwise the answer is
     * the manifest, saving the GET that would follow a HEAD. Empty when the tag is gone.
     */
    public Optional<TagState> tagUnlessAt(RepositoryName repository, String tag, @Nullable Digest knownDigest) {
        HttpRequest.Builder request = HttpRequest.newBuilder(manifestUri(repository, tag))
                .GET()
                .header("Accept", MediaTypes.acceptAllManifests())
                .header("Authorization", "Bearer " + pullToken(repository.value()))
                .timeout(settings.requestTimeout());
        if (knownDigest != null) {
            request.header("If-None-Match", "\"" + knownDigest + "\"");
        }
        Response response = send(request.build(), "GET manifest " + repository + ":" + tag);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() == 304 && knownDigest != null) {
            return Optional.of(new TagState(knownDigest, null));
        }
        ensureOk(response, "GET manifest " + repository + ":" + tag);
        FetchedManifest manifest = fetched("GET manifest " + repository + ":" + tag, response);
        return Optional.of(new TagState(manifest.digest(), manifest));
    }

    /** A blob's content (an image config: small); empty when the registry has none. */
    public Optional<byte[]> blob(RepositoryName repository, Digest digest) {
        Response response = send(get(URI.create(baseUrl() + "/v2/" + repository + "/blobs/" + digest), pullToken(repository.value())),
                "GET blob " + repository + "@" + digest);
        if (response.status() == 404) {
            return Optional.empty();
        }
        ensureOk(response, "GET blob " + repository + "@" + digest);
        return Optional.of(response.body());
    }

    /** Uploads a small blob in one request unless the repository has it already. */
    public void pushBlob(RepositoryName repository, Digest digest, byte[] content) {
        String token = writeToken(repository.value());
        Response exists = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token)
                .timeout(settings.requestTimeout()).build(), "HEAD blob " + repository + "@" + digest);
        if (exists.status() == 200) {
            return;
        }
        Response started = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token)
                .timeout(settings.requestTimeout()).build(), "POST upload to " + repository);
        if (started.status() != 202) {
            throw new RegistryRefusedException("POST upload to " + repository, started.status(), started.text());
        }
        URI location = baseUrl().resolve(started.header("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + separator + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        Response finished = send(HttpRequest.newBuilder(put)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + token)
                .timeout(settings.requestTimeout()).build(), "PUT blob " + repository + "@" + digest);
        if (finished.status() != 201) {
            throw new RegistryRefusedException("PUT blob " + repository + "@" + digest, finished.status(), finished.text());
        }
    }

    /** Stores a manifest under a tag; returns its digest. */
    public Digest putManifest(RepositoryName repository, String tag, String mediaType, byte[] body) {
        Response response = send(HttpRequest.newBuilder(manifestUri(repository, tag))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", mediaType)
                .header("Authorization", "Bearer " + writeToken(repository.value()))
                .timeout(settings.requestTimeout()).build(), "PUT manifest " + repository + ":" + tag);
        if (response.status() != 201) {
            throw new RegistryRefusedException("PUT manifest " + repository + ":" + tag, response.status(), response.text());
        }
        return response.header("Docker-Content-Digest").map(header -> digest("PUT manifest " + repository + ":" + tag, response, header))
                .orElseGet(() -> Digest.sha256(body));
    }

    /** The outcome of {@code DELETE /v2/<name>/manifests/<reference>}. */
    public enum Deletion { DELETED, NOT_FOUND, UNSUPPORTED }

    /**
     * Deletes a manifest by tag or digest. A registry that deletes by digest only (Distribution
     * 2.8 answers a tag with 400 DIGEST_INVALID) or not at all (405) says {@link Deletion#UNSUPPORTED}.
     */
    public Deletion deleteManifest(RepositoryName repository, String reference) {
        Response response = send(HttpRequest.newBuilder(manifestUri(repository, reference))
                .DELETE()
                .header("Accept", MediaTypes.acceptAllManifests())
                .header("Authorization", "Bearer " + writeToken(repository.value()))
                .timeout(settings.requestTimeout()).build(), "DELETE " + repository + ":" + reference);
        return switch (response.status()) {
            case 200, 202, 204 -> Deletion.DELETED;
            case 404 -> Deletion.NOT_FOUND;
            case 400, 405 -> Deletion.UNSUPPORTED;
            default -> throw new RegistryRefusedException("DELETE " + repository + ":" + reference, response.status(), response.text());
        };
    }

    /** Mints read tokens for many repositories at once, so a full sync signs one token per ten of them. */
    public void prepareTokens(Collection<RepositoryName> repositories) {
        List<String> missing = repositories.stream().map(RepositoryName::value).filter(r -> !fresh(tokenCache.getIfPresent(r))).toList();
        for (int from = 0; from < missing.size(); from += REPOSITORIES_PER_TOKEN) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + REPOSITORIES_PER_TOKEN));
            List<Access> access = batch.stream().map(r -> Access.repository(r, Set.of(Access.PULL))).toList();
            CachedToken token = mint(access);
            batch.forEach(r -> tokenCache.put(r, token));
        }
    }

    private String pullToken(String repository) {
        CachedToken cached = tokenCache.getIfPresent(repository);
        if (!fresh(cached)) {
            cached = mint(List.of(Access.repository(repository, Set.of(Access.PULL))));
            tokenCache.put(repository, cached);
        }
        return cached.value();
    }

    private String catalogToken() {
        CachedToken cached = tokenCache.getIfPresent(CATALOG_KEY);
        if (!fresh(cached)) {
            cached = mint(List.of(Access.catalog()));
            tokenCache.put(CATALOG_KEY, cached);
        }
        return cached.value();
    }

    /** Writing is rare (tag and repository deletion): a fresh token each time, never cached. */
    /**
     * A token to change {@code repository}, cached like read tokens under a key of its own: retention
     * deletes hundreds of tags of one repository in a row, and signing a token for each was most of a
     * deletion's time.
     */
    private String writeToken(String repository) {
        String key = "write:" + repository;
        CachedToken cached = tokenCache.getIfPresent(key);
        if (!fresh(cached)) {
            cached = mint(List.of(Access.repository(repository, Set.of(Access.PULL, Access.PUSH, Access.DELETE))));
            tokenCache.put(key, cached);
        }
        return cached.value();
    }

    private boolean fresh(@Nullable CachedToken token) {
        return token != null && clock.instant().isBefore(token.renewAt());
    }

    private CachedToken mint(List<Access> access) {
        RegistryTokens.IssuedToken issued = tokens.issue(SUBJECT, access);
        // Renew well before expiry: a sync of many repositories can take minutes.
        Duration margin = issued.expiresIn().dividedBy(4);
        return new CachedToken(issued.token(), issued.issuedAt().plus(issued.expiresIn()).minus(margin));
    }

    private HttpRequest get(URI uri, String token) {
        return HttpRequest.newBuilder(uri)
                .GET()
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .timeout(settings.requestTimeout())
                .build();
    }

    private URI manifestUri(RepositoryName repository, String reference) {
        return URI.create(baseUrl() + "/v2/" + repository + "/manifests/" + reference);
    }

    private @Nullable URI nextPage(Response response) {
        Optional<String> link = response.header("Link");
        if (link.isEmpty()) {
            return null;
        }
        Matcher matcher = NEXT_LINK.matcher(link.get());
        return matcher.find() ? baseUrl().resolve(matcher.group(1)) : null;
    }

    private static void ensureOk(Response response, String what) {
        if (response.status() != 200) {
            throw new RegistryRefusedException(what, response.status(), response.text());
        }
    }

    /**
     * Sends with bounded parallelism ({@link RegistryExchange}); a connection failure, a 5xx or a 429
     * is tried again after 100 ms, 400 ms, 1.6 s, ...; a 401 once more with a freshly minted token in
     * case the cached one was refused (a registry restarted with a new certificate bundle).
     */
    private Response send(HttpRequest request, String what) {
        Response response = sendRetrying(request, what);
        if (response.status() == 401) {
            tokenCache.invalidateAll();
            response = sendRetrying(withFreshToken(request), what);
        }
        return response;
    }

    private Response sendRetrying(HttpRequest request, String what) {
        try {
            return onFailure.execute(() -> {
                HttpResponse<byte[]> raw = exchange.send(request);
                Response response = new Response(raw.statusCode(), raw.headers(), raw.body() == null ? new byte[0] : raw.body());
                if (response.status() >= 500 || response.status() == 429) {
                    throw new RetryableAnswer(response);
                }
                return response;
            });
        } catch (RetryException e) {
            Throwable last = e.getLastException();
            if (last instanceof RetryableAnswer answer) {
                return answer.response;
            }
            if (last instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(what + " was interrupted", last);
            }
            throw new RegistryUnavailableException(what + " failed " + (e.getRetryCount() + 1) + " times: " + last.getMessage(), last);
        }
    }

    private HttpRequest withFreshToken(HttpRequest request) {
        String path = request.uri().getPath();
        String token;
        if (path.endsWith("/_catalog")) {
            token = catalogToken();
        } else {
            String repository = repositoryOf(path);
            boolean writes = !request.method().equals("GET") && !request.method().equals("HEAD");
            token = writes ? writeToken(repository) : pullToken(repository);
        }
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", "Bearer " + token)
                .build();
    }

    /** The repository of a v2 path: everything between /v2/ and the last /manifests/, /blobs/ or /tags/. */
    static String repositoryOf(String path) {
        String rest = path.substring("/v2/".length());
        for (String marker : List.of("/manifests/", "/blobs/", "/tags/")) {
            int at = rest.lastIndexOf(marker);
            if (at > 0) {
                return rest.substring(0, at);
            }
        }
        return rest;
    }
}
