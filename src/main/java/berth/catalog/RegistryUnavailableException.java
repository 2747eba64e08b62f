package berth.catalog;

/** The registry could not be reached, or kept failing, after the retries. */
public class RegistryUnavailableException extends berth.base.RegistryFailedException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryUnavailableException(String message) {
        super(message);
    }
}
