package berth.base;

/** The request did not carry the credentials this address needs; the message says which. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
