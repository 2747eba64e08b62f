package berth.base;

/** The request clashes with what exists, e.g. a project name already taken. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
