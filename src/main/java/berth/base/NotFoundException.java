package berth.base;

/** What the request names does not exist, or the caller may not know that it does. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
