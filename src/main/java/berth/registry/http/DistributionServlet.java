package berth.registry.http;

import berth.base.BerthSettings;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.catalina.connector.ClientAbortException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The entry of the OCI Distribution API, mapped to {@code /v2/*}. Per request: refuse path
 * tricks, find the route, parse the repository name, check the token, run the handler, and turn
 * every refusal into the spec's error - in that order, so nothing touches storage before the
 * name is known to be safe and the token to be sufficient.
 */
final class DistributionServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(DistributionServlet.class);

    /**
     * The repository a cross-repository mount ({@code ?mount=&from=}) would take the blob from, when
     * it is a valid name: the challenge asks for pull there too, so that a client following it gets
     * a token that lets the mount happen instead of falling back to a full upload.
     */
    private @Nullable RepositoryName mountSource(Exchange exchange) {
        String from = exchange.query("from");
        if (exchange.query("mount") == null || from == null) {
            return null;
        }
        try {
            return RepositoryName.parse(from, registryHost);
        } catch (RegistryException e) {
            return null;
        }
    }

    /**
     * Anything that is no plain path: percent-encoding, dot segments, empty segments, backslashes,
     * path parameters, control characters. No valid name, tag, digest or session id holds one.
     */
    private static final Pattern PATH_TRICK = Pattern.compile(".*(%|\\\\|;|//|/\\.{1,2}(/|$)|\\p{Cntrl}).*");

    private final transient Routes routes;
    private final transient TokenCheck tokenCheck;
    private final transient RegistryMetrics metrics;
    private final String registryHost;

    DistributionServlet(Routes routes, TokenCheck tokenCheck, RegistryMetrics metrics, BerthSettings settings) {
        this.routes = routes;
        this.tokenCheck = tokenCheck;
        this.metrics = metrics;
        this.registryHost = settings.registryHost();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String method = request.getMethod();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        String routeId = "unmatched";
        Exchange exchange = null;
        try {
            if (PATH_TRICK.matcher(path).matches()) {
                throw pathTrick();
            }
            Optional<Routes.Match> match = routes.match(path);
            if (match.isEmpty()) {
                throw new RegistryException(ErrorCode.UNSUPPORTED,
                        "No registry endpoint has the path " + abbreviate(path) + ".").withStatus(404);
            }
            routeId = match.get().route().id();
            Routes.Operation operation = match.get().route().operations().get(method);
            if (operation == null) {
                String allowed = String.join(", ", new TreeSet<>(match.get().route().operations().keySet()));
                response.setHeader("Allow", allowed);
                throw new RegistryException(ErrorCode.UNSUPPORTED, method + " is not supported on " + routeId + "; use " + allowed + ".");
            }
            String nameText = match.get().name();
            RepositoryName name = nameText == null ? null : RepositoryName.parse(nameText, registryHost);
            exchange = new Exchange(request, response, match.get().parameters(), name);
            exchange.authenticated(tokenCheck.check(request.getHeader("Authorization"), operation.permission(), name,
                    "upload-start".equals(routeId) ? mountSource(exchange) : null));
            operation.handler().handle(exchange);
        } catch (RegistryException refusal) {
            ErrorResponses.write(request, response, refusal);
        } catch (IOException e) {
            if (isClientGone(e)) {
                log.debug("client went away during {} {}", method, routeId);
            } else {
                failed(request, response, "storage failure during " + method + " " + routeId, e);
            }
        } catch (RequestRejectedException e) {
            // Spring Security's firewall checks a header when it is first read, here rather than in its filter.
            ErrorResponses.write(request, response, new RegistryException(ErrorCode.UNSUPPORTED,
                    "The registry does not take this request: a header holds characters that are not allowed.").withStatus(400));
        } catch (RuntimeException e) {
            failed(request, response, "failure during " + method + " " + routeId, e);
        } finally {
            metrics.record(routeId, method, response.getStatus(), System.nanoTime() - started,
                    exchange == null ? 0 : exchange.bytesIn, exchange == null ? 0 : exchange.bytesOut);
        }
    }

    private static void failed(HttpServletRequest request, HttpServletResponse response, String what, Exception e) throws IOException {
        if (!response.isCommitted()) {
            log.error(what, e);
            ErrorResponses.writeServerError(request, response);
            return;
        }
        // Headers promising a length are out and the body cannot be finished. Returning would leave
        // the client waiting on a kept-alive connection for bytes that never come. Tomcat closes the
        // connection for an exception, which clients see as a cut-off body; ClientAbortException is
        // the one it does so for without also rendering an error page into the half-sent body.
        log.error(what + " after the answer began; closing the connection", e);
        throw new ClientAbortException(e);
    }

    /** The refusal of a path that tries to leave its place; also answers what the firewall rejects first. */
    static RegistryException pathTrick() {
        return new RegistryException(ErrorCode.NAME_INVALID,
                "The path holds '..', '.', an encoded character, an empty segment, a backslash or a control character; "
                        + "no repository name, tag or digest may.",
                Map.of("rule", "repository names are plain lowercase paths"));
    }

    private static boolean isClientGone(IOException e) {
        // Writing to a client that closed the connection (Tomcat), or reading from one that did.
        return e instanceof ClientAbortException || e instanceof java.io.EOFException;
    }

    private static String abbreviate(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
