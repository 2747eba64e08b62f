package berth.base;

import org.jspecify.annotations.Nullable;

/**
 * A refusal or failure a person is told about. Its message is the English sentence the REST API
 * answers with and the log records; a message key with its arguments, when given, lets the console
 * say the same in the reader's language ({@code error.*} in messages*.properties).
 */
public abstract class DomainException extends RuntimeException {

    private final @Nullable String messageKey;
    private final Object[] messageArguments;

    protected DomainException(String message) {
        this(message, null);
    }

    protected DomainException(String message, @Nullable String messageKey, Object... messageArguments) {
        super(message);
        this.messageKey = messageKey;
        this.messageArguments = messageArguments.clone();
    }

    /** The console's message key; null when only the English message exists. */
    public @Nullable String messageKey() {
        return messageKey;
    }

    public Object[] messageArguments() {
        return messageArguments.clone();
    }
}
