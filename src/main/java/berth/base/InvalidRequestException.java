package berth.base;

/** A request that breaks a rule; the message is a sentence for the person who sent it. */
public class InvalidRequestException extends DomainException {

    public InvalidRequestException(String message) {
        super(message);
    }

    /** With the console's message key ({@code error.*}) and its arguments. */
    public InvalidRequestException(String message, String messageKey, Object... messageArguments) {
        super(message, messageKey, messageArguments);
    }
}
