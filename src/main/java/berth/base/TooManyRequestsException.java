package berth.base;

import java.time.Duration;

/** Too many failed attempts in a short time; the caller may try again after {@link #retryAfter()}. */
public class TooManyRequestsException extends RuntimeException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
