package berth.registry;

import berth.oci.RepositoryName;
import berth.oci.Tag;
import java.util.Optional;

/**
 * Tags the engine must neither move to another digest nor delete, such as those a project's
 * immutable-tag rules cover. The module that owns such rules declares a bean of this type; the engine
 * asks every one on a manifest PUT that would move a tag and on a DELETE that would remove one, and
 * refuses with {@code DENIED} and the sentence it gets.
 *
 * <p>An interface of the engine's own rather than a dependency on the policy module: the policy
 * module depends on the catalog, and the engine knows nothing of the catalog (it is the catalog's
 * source, through the v2 API and events), so it stays runnable and testable without either.
 */
public interface ProtectedTags {

    /** Why {@code repository:tag} must keep its digest and stay, as a sentence naming the rule; empty when nothing protects it. */
    Optional<String> refusal(RepositoryName repository, Tag tag);
}
