package berth.registry.http;

import berth.auth.ProjectAccess;
import berth.oci.Access;
import berth.oci.Descriptor;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.MediaTypes;
import berth.oci.RegistryException;
import berth.registry.content.Manifests;
import berth.registry.content.Repositories;
import berth.registry.content.Tags;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** {@code GET /v2/}, {@code _catalog}, {@code tags/list} and the referrers API. */
@Component
record ListingEndpoints(Repositories repositories, Tags tags, Manifests manifests, ProjectAccess projectAccess) {

    void base(Exchange exchange) throws IOException {
        exchange.response.setStatus(200);
        ErrorResponses.writeJson(exchange.request, exchange.response, Map.of());
    }

    /** Repositories the token's holder may pull, in lexical order, paginated with {@code n} and {@code last}. */
    void catalog(Exchange exchange) throws IOException {
        Integer n = pageSize(exchange);
        String last = exchange.query("last");
        String subject = exchange.token().subject();
        Map<String, Boolean> pullableProjects = new HashMap<>();
        Page page = Page.of(repositories.list(), last, n, name -> pullableProjects.computeIfAbsent(ProjectAccess.projectOf(name),
                project -> projectAccess.allowedActions(subject, name).contains(Access.PULL)));
        page.link(exchange, "/v2/_catalog", n);
        exchange.response.setStatus(200);
        ErrorResponses.writeJson(exchange.request, exchange.response, Map.of("repositories", page.names()));
    }

    /** Tags of a repository in lexical order, paginated with {@code n} and {@code last}. */
    void tags(Exchange exchange) throws IOException {
        Integer n = pageSize(exchange);
        String last = exchange.query("last");
        Page page = Page.of(tags.list(exchange.name()), last, n, tag -> true);
        page.link(exchange, "/v2/" + exchange.name() + "/tags/list", n);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", exchange.name().value());
        body.put("tags", page.names());
        exchange.response.setStatus(200);
        ErrorResponses.writeJson(exchange.request, exchange.response, body);
    }

    /** An OCI index of the manifests whose subject is the given digest. */
    void referrers(Exchange exchange) throws IOException {
        Digest digest = Digest.parse(exchange.parameter("digest"));
        String artifactType = exchange.query("artifactType");
        List<Map<String, Object>> descriptors = new ArrayList<>();
        for (Descriptor referrer : manifests.referrers(exchange.name(), digest, artifactType)) {
            descriptors.add(json(referrer));
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", descriptors);
        if (artifactType != null) {
            exchange.response.setHeader("OCI-Filters-Applied", "artifactType");
        }
        exchange.response.setStatus(200);
        ErrorResponses.writeJson(exchange.request, exchange.response, index, MediaTypes.OCI_INDEX);
    }

    static Map<String, Object> json(Descriptor descriptor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", descriptor.mediaType());
        json.put("digest", descriptor.digest().toString());
        json.put("size", descriptor.size());
        if (descriptor.artifactType() != null) {
            json.put("artifactType", descriptor.artifactType());
        }
        if (!descriptor.annotations().isEmpty()) {
            json.put("annotations", descriptor.annotations());
        }
        return json;
    }

    private static @Nullable Integer pageSize(Exchange exchange) {
        String text = exchange.query("n");
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID,
                    "n must be a whole number from 0 up, not '" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'.");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** One page of a listing in lexical order, and whether more names follow it. */
    private record Page(List<String> names, boolean more) {

        /** The names after {@code last} that {@code listed} lets through, at most {@code n} of them (all when null). */
        static Page of(List<String> sorted, @Nullable String last, @Nullable Integer n, Predicate<String> listed) {
            List<String> names = new ArrayList<>();
            for (String name : sorted) {
                if ((last != null && name.compareTo(last) <= 0) || !listed.test(name)) {
                    continue;
                }
                if (n != null && names.size() == n) {
                    return new Page(names, true);
                }
                names.add(name);
            }
            return new Page(names, false);
        }

        /** The {@code Link} header to the next page of {@code path}, where one follows. */
        void link(Exchange exchange, String path, @Nullable Integer n) {
            if (more && !names.isEmpty()) {
                exchange.response.setHeader("Link", "<" + path + "?last=" + encode(names.getLast()) + "&n=" + n + ">; rel=\"next\"");
            }
        }
    }
}
