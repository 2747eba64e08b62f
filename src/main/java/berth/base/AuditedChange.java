package berth.base;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change the audit log records, published by the module that makes it inside the transaction
 * that makes it (so the record commits with the change, or neither does). A module's event record
 * implements this; the audit log needs to know nothing of the module.
 */
public interface AuditedChange {

    /** The audit action's name, e.g. {@code QUOTA_CHANGED}, {@code POLICY_CHANGED}. */
    String action();

    Instant at();

    /** An account's email, a project key's username, or {@code system}. */
    String actor();

    @Nullable String address();

    /** {@code console}, {@code api}, {@code registry} or {@code system}. */
    String via();

    @Nullable String project();

    /** The repository it concerns (full name), if one; most changes are to a project or the registry. */
    default @Nullable String repository() {
        return null;
    }

    /** The tag it concerns, if one. */
    default @Nullable String tag() {
        return null;
    }

    /** The manifest digest it concerns, if one. */
    default @Nullable String digest() {
        return null;
    }

    /**
     * True when this is a change that was asked for and refused (recorded as {@code DENIED}), such as a
     * push or delete an immutable-tag rule stopped; false for a change that was made.
     */
    default boolean refused() {
        return false;
    }

    /** What changed, in a few words. */
    @Nullable String detail();
}
