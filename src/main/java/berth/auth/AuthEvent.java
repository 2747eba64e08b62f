package berth.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change to who may do what, or a refused login, published by the auth services inside the
 * transaction that makes the change (so a listener that writes in it - the audit log - commits or
 * rolls back with it). Auth knows nothing of its listeners.
 *
 * @param kind what happened
 * @param at when
 * @param actor who did it: the signed-in account's email, or for a failed login the name tried
 * @param address the client's address, if the change came from a request
 * @param via {@code console}, {@code api} or {@code registry} (a {@code docker login})
 * @param project the project concerned, if any
 * @param detail one line on what changed, e.g. {@code bob@example.test: MEMBER -> ADMIN}; never a secret
 */
public record AuthEvent(Kind kind, Instant at, String actor, @Nullable String address, String via,
                        @Nullable String project, String detail) {

    public enum Kind {
        PROJECT_CREATED, MEMBER_CHANGED, APPKEY_CHANGED, LOGIN_FAILED
    }
}
