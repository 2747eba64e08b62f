package berth.base;

/** The request clashes with what exists, e.g. a project name already taken. */
public class ConflictException extends DomainException {

    public ConflictException(String message) {
        super(message);
    }

    /** With the console's message key ({@code error.*}) and its arguments. */
    public ConflictException(String message, String messageKey, Object... messageArguments) {
        super(message, messageKey, messageArguments);
    }
}
