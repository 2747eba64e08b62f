package berth.oci;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request the registry refuses, carrying the OCI error code, a sentence for the person who
 * reads it, and an optional machine-readable detail. Thrown anywhere below the HTTP edge; the
 * edge turns it into {@link #status()} and {@link #body()}, nothing else decides either.
 */
public class RegistryException extends RuntimeException {

    private final ErrorCode code;
    private final @Nullable Object detail;
    private final int status;

    public RegistryException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public RegistryException(ErrorCode code, String message, @Nullable Object detail) {
        this(code, message, detail, code.status());
    }

    private RegistryException(ErrorCode code, String message, @Nullable Object detail, int status) {
        super(message, null, false, false);
        this.code = code;
        this.detail = detail;
        this.status = status;
    }

    /**
     * The same refusal with another status, where the spec names one for a particular case (a
     * manifest over the size limit is {@code 413}, an out-of-order chunk {@code 416}).
     */
    public RegistryException withStatus(int status) {
        return new RegistryException(code, getMessage(), detail, status);
    }

    public ErrorCode code() {
        return code;
    }

    public @Nullable Object detail() {
        return detail;
    }

    public int status() {
        return status;
    }

    /** The body of the response: {@code {"errors":[{"code","message","detail"}]}}. */
    public Map<String, Object> body() {
        return errorBody(code, getMessage(), detail);
    }

    /** The spec's error body for one error. */
    public static Map<String, Object> errorBody(ErrorCode code, String message, @Nullable Object detail) {
        Map<String, Object> error = detail == null
                ? Map.of("code", code.name(), "message", message)
                : Map.of("code", code.name(), "message", message, "detail", detail);
        return Map.of("errors", List.of(error));
    }

    /**
     * What a client sent, as a refusal may quote it: control characters as {@code ?}, and cut after
     * {@code max} characters, so a message never carries a terminal escape or a megabyte of name.
     */
    public static String shown(String text, int max) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > max ? printable.substring(0, max) + "…" : printable;
    }
}
