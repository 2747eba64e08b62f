package berth.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * A rule that forbids deleting (and overwriting) a tag, such as a project's immutable-tag rules. The
 * module that owns such rules declares a bean of this type; {@link TagDeletion} asks every one before
 * it deletes a tag or a repository, so the rule holds in either registry mode and for every caller
 * (REST API, console, retention), without the catalog depending on that module.
 */
public interface TagProtection {

    /**
     * Why {@code repository:tag} may not be deleted or overwritten, as a sentence naming the rule (shown
     * to the person who asked), or empty when nothing protects it.
     */
    Optional<String> protecting(String repository, String tag);

    /**
     * The same sentence in {@code locale}'s language, for the console; the sentence of
     * {@link #protecting(String, String)} where the implementation has no other.
     */
    default Optional<String> protecting(String repository, String tag, Locale locale) {
        return protecting(repository, tag);
    }

    /**
     * Whether some tag of {@code repository} may be protected, without naming one: the console offers
     * "select all" for deletion only where none can be. True unless the implementation knows better.
     */
    default boolean mayProtectSomeTagOf(String repository) {
        return true;
    }
}
