package berth.policy.immutable;

import berth.catalog.TagProtection;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.policy.ImmutableTagRules;
import berth.registry.ProtectedTags;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The immutable-tag rules where tags change: the catalog asks before every deletion it makes (REST API,
 * console, retention; either registry mode), the embedded engine before a manifest PUT moves a tag and
 * before a DELETE removes one. Both ask after authorizing the person, so this answers for anyone.
 */
@Component
record ImmutableTagGuard(ImmutableTagRules rules, MessageSource messages) implements TagProtection, ProtectedTags {

    @Override
    public Optional<String> protecting(String repository, String tag) {
        return rules.refusal(repository, tag);
    }

    /** The refusal in the console's language (the lock's tooltip): the same rule, its globs as written. */
    @Override
    public Optional<String> protecting(String repository, String tag, Locale locale) {
        return rules.protecting(repository, tag).map(rule -> messages.getMessage("policies.immutable.refusal",
                new Object[] {tag, repository, String.valueOf(rule.id()), rule.repositories(), rule.tags()}, locale));
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
