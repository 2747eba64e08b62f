package berth.base;

/** The caller is known but may not do this. */
public class ForbiddenException extends DomainException {

    public ForbiddenException(String message) {
        super(message);
    }

    /** With the console's message key ({@code error.*}) and its arguments. */
    public ForbiddenException(String message, String messageKey, Object... messageArguments) {
        super(message, messageKey, messageArguments);
    }
}
