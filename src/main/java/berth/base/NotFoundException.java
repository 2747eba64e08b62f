package berth.base;

/** What the request names does not exist, or the caller may not know that it does. */
public class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super(message);
    }

    /** With the console's message key ({@code error.*}) and its arguments. */
    public NotFoundException(String message, String messageKey, Object... messageArguments) {
        super(message, messageKey, messageArguments);
    }
}
