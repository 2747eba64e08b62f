package berth.base;

/** A request that breaks a rule; the message is a sentence for the person who sent it. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
