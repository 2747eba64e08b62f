package berth.registry.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The route table of the API, as data: path pattern, and per method the permission the token
 * needs and the handler. Names hold slashes, so a name is everything up to the last fixed
 * segment ({@code /manifests/}, {@code /blobs/}, ...), as in CNCF Distribution's router.
 */
@Component
final class Routes {

    /** What handles one method of a route. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    record Operation(Permission permission, Handler handler) {
    }

    record Route(String id, Pattern pattern, Map<String, Operation> operations) {
    }

    /** A route matched to a path, with its path parameters. */
    record Match(Route route, Map<String, String> parameters) {
        @Nullable String name() {
            return parameters.get("name");
        }
    }

    private static final String NAME = "(?<name>.+)";
    private static final String SEGMENT = "([^/]+)";

    private final List<Route> routes;

    Routes(ListingEndpoints listing, ManifestEndpoints manifests, BlobEndpoints blobs, UploadEndpoints uploads) {
        this.routes = List.of(
                route("base", "/v2/?", Map.of(
                        "GET", new Operation(Permission.AUTHENTICATED, listing::base),
                        "HEAD", new Operation(Permission.AUTHENTICATED, listing::base))),
                route("catalog", "/v2/_catalog", Map.of(
                        "GET", new Operation(Permission.CATALOG, listing::catalog))),
                route("tags", "/v2/" + NAME + "/tags/list", Map.of(
                        "GET", new Operation(Permission.PULL, listing::tags))),
                route("referrers", "/v2/" + NAME + "/referrers/" + SEGMENT.replace("(", "(?<digest>"), Map.of(
                        "GET", new Operation(Permission.PULL, listing::referrers))),
                route("manifest", "/v2/" + NAME + "/manifests/" + SEGMENT.replace("(", "(?<reference>"), methods(
                        "GET", new Operation(Permission.PULL, manifests::get),
                        "HEAD", new Operation(Permission.PULL, manifests::get),
                        "PUT", new Operation(Permission.PUSH, manifests::put),
                        "DELETE", new Operation(Permission.DELETE, manifests::delete))),
                route("upload-start", "/v2/" + NAME + "/blobs/uploads/?", Map.of(
                        "POST", new Operation(Permission.PUSH, uploads::start))),
                route("upload", "/v2/" + NAME + "/blobs/uploads/" + SEGMENT.replace("(", "(?<uuid>"), methods(
                        "GET", new Operation(Permission.PUSH, uploads::status),
                        "PATCH", new Operation(Permission.PUSH, uploads::append),
                        "PUT", new Operation(Permission.PUSH, uploads::complete),
                        "DELETE", new Operation(Permission.PUSH, uploads::cancel))),
                route("blob", "/v2/" + NAME + "/blobs/" + SEGMENT.replace("(", "(?<digest>"), methods(
                        "GET", new Operation(Permission.PULL, blobs::get),
                        "HEAD", new Operation(Permission.PULL, blobs::get),
                        "DELETE", new Operation(Permission.DELETE, blobs::delete))));
    }

    Optional<Match> match(String path) {
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (String group : List.of("name", "reference", "digest", "uuid")) {
                    if (route.pattern().pattern().contains("?<" + group + ">")) {
                        parameters.put(group, matcher.group(group));
                    }
                }
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    private static Route route(String id, String pattern, Map<String, Operation> operations) {
        return new Route(id, Pattern.compile(pattern), operations);
    }

    private static Map<String, Operation> methods(Object... methodsAndOperations) {
        Map<String, Operation> map = new LinkedHashMap<>();
        for (int i = 0; i < methodsAndOperations.length; i += 2) {
            map.put((String) methodsAndOperations[i], (Operation) methodsAndOperations[i + 1]);
        }
        return map;
    }
}
