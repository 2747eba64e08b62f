package berth.catalog;

import org.springframework.http.HttpStatus;

/** A refusal of a catalog API request, rendered as {@code {"error": ..., "message": ...}} with its status. */
class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    ApiException(HttpStatus status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN", message);
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST", message);
    }

    HttpStatus status() {
        return status;
    }

    String error() {
        return error;
    }
}
