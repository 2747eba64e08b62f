package berth.base;

/**
 * The registry behind Berth failed what was asked of it (unreachable, or an error it should not
 * have given): the API answers 502, since the caller's request was fine.
 */
public class RegistryFailedException extends RuntimeException {

    public RegistryFailedException(String message) {
        super(message);
    }

    public RegistryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
