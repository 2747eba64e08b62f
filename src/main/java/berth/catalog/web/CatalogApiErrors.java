package berth.catalog.web;

import berth.catalog.RegistryRefusedException;
import berth.catalog.RegistryUnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The two refusals only the catalog has, in the API's {@code {error, message}} shape: a
 * notification without the events secret (401), and a registry that failed what the catalog asked
 * of it (502). Everything else goes through base's one mapping; this advice comes first so its
 * catch-all does not swallow these.
 */
@RestControllerAdvice(basePackages = "berth.catalog")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CatalogApiErrors {

    private static final Logger log = LoggerFactory.getLogger(CatalogApiErrors.class);

    /** The notification did not carry the events secret. */
    public static final class EventsSecretRefused extends RuntimeException {
        public EventsSecretRefused() {
            super("The Authorization header is not the events secret (BERTH_REGISTRY_EVENTS_SECRET).");
        }
    }

    @ExceptionHandler(EventsSecretRefused.class)
    ResponseEntity<Map<String, String>> unauthorized(EventsSecretRefused e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "unauthorized", "message", e.getMessage()));
    }

    @ExceptionHandler({RegistryUnavailableException.class, RegistryRefusedException.class})
    ResponseEntity<Map<String, String>> registryFailed(RuntimeException e) {
        log.warn("The registry failed a catalog request: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "registry_unavailable",
                "message", "The registry did not do what was asked: " + e.getMessage()));
    }
}
