package berth.registry.http;

import berth.base.AuditedChange;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A push or delete through the v2 API that an immutable-tag rule refused, for the audit log
 * ({@code DENIED}, with the rule's sentence), as the REST API's and the console's refusals are.
 *
 * @param action {@code PUSH}, {@code DELETE_TAG} (by tag) or {@code DELETE_MANIFEST} (by digest, which would take the tag with it)
 * @param actor the token's subject, as registry events carry it (the audit log names anonymous and Berth's own jobs)
 */
record RegistryRefusal(String action, Instant at, String actor, @Nullable String address, String project, String repository,
                       String tag, @Nullable String digest, String detail) implements AuditedChange {

    @Override
    public String via() {
        return "registry";
    }

    @Override
    public boolean refused() {
        return true;
    }
}
