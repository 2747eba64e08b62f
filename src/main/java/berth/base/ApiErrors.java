package berth.base;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error writer of the REST API and the token service: every refusal is an RFC 9457
 * problem ({@code type, title, status, detail, instance}) that also carries the documented
 * {@code error} (a code for programs) and {@code message} (a sentence for people) fields, always
 * with a 4xx status for the caller's mistakes and never a stack trace. Controllers reach it by
 * throwing; filters and entry points, which run before any controller, call {@link #write}.
 * <p>
 * The body is sent as {@code application/json}, not {@code application/problem+json}: the API's
 * contract, its clients and its OpenAPI description all say JSON, and the fields are a superset.
 */
@RestControllerAdvice(basePackages = {"berth.auth", "berth.catalog", "berth.base", "berth.registry.gc", "berth.registry.usage", "berth.audit",
        "berth.webhooks", "berth.policy"})
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    /** Filters write outside Spring MVC's converters; the same mix-in gives the same shape. */
    private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    /** A problem with Berth's two fields; {@code instance} is left to the caller that knows the path. */
    public static ProblemDetail problem(HttpStatusCode status, String error, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("error", error);
        problem.setProperty("message", message);
        return problem;
    }

    /** Writes a problem where no controller runs (security entry points, refused requests). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status, String error, String message)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(problem(status, error, message));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** {@code Retry-After} in whole seconds, at least one. */
    public static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, wait.toSeconds()));
    }

    /** The refusals services throw, each with its status and its {@code error} code. */
    @ExceptionHandler({InvalidRequestException.class, UnauthorizedException.class, NotFoundException.class, ForbiddenException.class,
            ConflictException.class})
    ResponseEntity<ProblemDetail> refused(RuntimeException e) {
        return switch (e) {
            case InvalidRequestException invalid -> body(HttpStatus.BAD_REQUEST, "invalid_request", invalid.getMessage());
            case UnauthorizedException unauthorized -> body(HttpStatus.UNAUTHORIZED, "unauthorized", unauthorized.getMessage());
            case NotFoundException missing -> body(HttpStatus.NOT_FOUND, "not_found", missing.getMessage());
            case ForbiddenException forbidden -> body(HttpStatus.FORBIDDEN, "forbidden", forbidden.getMessage());
            case ConflictException conflict -> body(HttpStatus.CONFLICT, "conflict", conflict.getMessage());
            default -> unexpected(e);
        };
    }

    /** Tomcat parses the query lazily and throws on a malformed %-escape when a parameter is first read. */
    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class, MethodArgumentNotValidException.class, InvalidParameterException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        return body(HttpStatus.BAD_REQUEST, "invalid_request", "The request is not well-formed: check its JSON and parameters.");
    }

    /** Spring Security's firewall checks headers and parameter names when they are first read, inside the handler. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return body(HttpStatus.BAD_REQUEST, "invalid_request",
                "Berth does not take this request: a header or parameter holds characters that are not allowed.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE);
    }

    /** What a state-changing call with a body that is not JSON is told (see also {@code CrossSiteRequests}). */
    public static final String UNSUPPORTED_MEDIA_TYPE = "Send JSON (Content-Type: application/json).";

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "This address answers in JSON only (Accept: application/json).");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "This address does not take " + e.getMethod() + ".");
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(e.retryAfter()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", e.getMessage()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return body(HttpStatus.NOT_FOUND, "not_found", "There is nothing at this address.");
    }

    @ExceptionHandler(RegistryFailedException.class)
    ResponseEntity<ProblemDetail> registryFailed(RegistryFailedException e) {
        log.warn("The registry failed a request: {}", e.getMessage());
        return body(HttpStatus.BAD_GATEWAY, "registry_unavailable", "The registry did not do what was asked: " + e.getMessage());
    }

    /** The database cannot be reached or written: say so at once, and let readiness tell the load balancer. */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class})
    ResponseEntity<ProblemDetail> databaseDown(Exception e) {
        log.warn("The database failed a request: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "30")
                .contentType(MediaType.APPLICATION_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
                        "Berth cannot use its database right now; try again later. The log says why."));
    }

    static ResponseEntity<ProblemDetail> body(HttpStatus status, String error, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(problem(status, error, message));
    }

    /** Anything else is Berth's fault: log it for the operator, tell the caller only that. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (H2StorageFaults.fault() != null) {
            return databaseDown(e);
        }
        log.error("Unexpected error serving an API request", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Berth failed to handle this request; the log says why.");
    }
}
