package berth.catalog;

/** The registry could not be reached, or kept failing, after the retries. */
class RegistryUnavailableException extends berth.base.RegistryFailedException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    RegistryUnavailableException(String message) {
        super(message);
    }
}
