package berth.e2e.catalog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test's own, independent reading of a registry over the v2 API - so the catalog is compared
 * with what the registry says, not with what the code under test thinks it says.
 */
public final class RegistryView {

    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    /** A token for a scope: {@code registry:catalog:*} or a repository name with pull. */
    private final Function<String, String> tokens;
    private final HttpClient http = HttpClient.newHttpClient();

    public RegistryView(String baseUrl, Function<String, String> tokens) {
        this.baseUrl = baseUrl;
        this.tokens = tokens;
    }

    /** Every repository with at least one tag, and each tag's digest, sorted. */
    public Map<String, Map<String, String>> contents() {
        Map<String, Map<String, String>> contents = new TreeMap<>();
        for (String repository : repositories()) {
            Map<String, String> tags = new TreeMap<>();
            for (String tag : tags(repository)) {
                digest(repository, tag).ifPresent(d -> tags.put(tag, d));
            }
            if (!tags.isEmpty()) {
                contents.put(repository, tags);
            }
        }
        return contents;
    }

    public List<String> repositories() {
        List<String> names = new ArrayList<>();
        String next = "/v2/_catalog?n=100";
        while (next != null) {
            HttpResponse<String> response = send(next, "GET", "registry:catalog:*");
            JSON.readTree(response.body()).path("repositories").forEach(n -> names.add(n.asString()));
            next = response.headers().firstValue("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>'))).orElse(null);
        }
        return names;
    }

    public List<String> tags(String repository) {
        HttpResponse<String> response = send("/v2/" + repository + "/tags/list", "GET", repository);
        List<String> tags = new ArrayList<>();
        if (response.statusCode() == 200) {
            JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asString()));
        }
        return tags;
    }

    public Optional<String> digest(String repository, String reference) {
        HttpResponse<String> response = send("/v2/" + repository + "/manifests/" + reference, "HEAD", repository);
        return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest") : Optional.empty();
    }

    public JsonNode manifest(String repository, String reference) {
        return JSON.readTree(send("/v2/" + repository + "/manifests/" + reference, "GET", repository).body());
    }

    private HttpResponse<String> send(String path, String method, String scope) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT)
                .header("Authorization", "Bearer " + tokens.apply(scope))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
