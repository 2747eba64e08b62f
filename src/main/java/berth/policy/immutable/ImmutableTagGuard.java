package berth.policy.immutable;

import berth.catalog.TagProtection;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.policy.ImmutableTagRules;
import berth.registry.ProtectedTags;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The immutable-tag rules where tags change: the catalog asks before every deletion it makes (REST API,
 * console, retention; either registry mode), the embedded engine before a manifest PUT moves a tag and
 * before a DELETE removes one. Both ask after authorizing the person, so this answers for anyone.
 */
@Component
record ImmutableTagGuard(ImmutableTagRules rules) implements TagProtection, ProtectedTags {

    @Override
    public Optional<String> protecting(String repository, String tag) {
        return rules.refusal(repository, tag);
    }

    @Override
    public boolean mayProtectSomeTagOf(String repository) {
        return rules.coverSomeTagOf(repository);
    }

    @Override
    public Optional<String> refusal(RepositoryName repository, Tag tag) {
        return rules.refusal(repository.value(), tag.value());
    }
}
