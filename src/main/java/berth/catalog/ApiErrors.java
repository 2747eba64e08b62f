package berth.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** The one place where the catalog's API turns a failure into {@code {"error", "message"}}, never a stack trace. */
@RestControllerAdvice(assignableTypes = {CatalogApi.class, DistributionNotifications.class, RegistrySetupApi.class})
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** The body of every error the catalog's API answers. */
    record ErrorBody(String error, String message) {
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> refused(ApiException e) {
        return ResponseEntity.status(e.status()).body(new ErrorBody(e.error(), e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> badParameter(MethodArgumentTypeMismatchException e) {
        return ResponseEntity.badRequest().body(new ErrorBody("BAD_REQUEST", "Parameter '" + e.getName() + "' has an unusable value."));
    }

    @ExceptionHandler({RegistryUnavailableException.class, RegistryRefusedException.class})
    ResponseEntity<ErrorBody> registryFailed(RuntimeException e) {
        log.warn("The registry failed a catalog request: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                .body(new ErrorBody("REGISTRY_UNAVAILABLE", "The registry did not do what was asked: " + e.getMessage()));
    }
}
