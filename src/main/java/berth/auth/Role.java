package berth.auth;

import berth.oci.Access;
import java.util.Set;

/** A member's role in a project. */
public enum Role {
    /** Pulls, pushes, deletes and manages members and Appkeys. */
    ADMIN(Set.of(Access.PULL, Access.PUSH, Access.DELETE)),
    /** Pulls and browses; never pushes or deletes. */
    MEMBER(Set.of(Access.PULL));

    private final Set<String> registryActions;

    Role(Set<String> registryActions) {
        this.registryActions = registryActions;
    }

    public Set<String> registryActions() {
        return registryActions;
    }
}
