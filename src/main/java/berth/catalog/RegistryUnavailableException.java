package berth.catalog;

/** The registry could not be reached, or kept failing, after the retries. */
class RegistryUnavailableException extends RuntimeException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    RegistryUnavailableException(String message) {
        super(message);
    }
}
