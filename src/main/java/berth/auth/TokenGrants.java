package berth.auth;

import berth.base.InvalidRequestException;
import berth.base.BerthSettings;
import berth.oci.Access;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Decides what a login may have of what it asks for: the intersection of the requested actions and
 * what the key's role allows, in the key's own project only. A partial grant is not an error; an
 * ill-formed request is.
 */
@Component
class TokenGrants {

    private final BerthSettings berth;

    TokenGrants(BerthSettings berth) {
        this.berth = berth;
    }

    List<Access> grant(Appkeys.Login login, boolean systemAdmin, List<Scope> scopes) {
        List<Access> granted = new ArrayList<>();
        for (Scope scope : scopes) {
            switch (scope.type()) {
                case Access.REPOSITORY -> {
                    checkName(scope.name());
                    if (!ProjectAccess.projectOf(scope.name()).equals(login.project())) {
                        continue;
                    }
                    Set<String> actions = new LinkedHashSet<>();
                    for (String asked : scope.actions()) {
                        if (asked.equals("*")) {
                            actions.addAll(login.actions());
                        } else if (login.actions().contains(asked)) {
                            actions.add(asked);
                        }
                    }
                    if (!actions.isEmpty()) {
                        granted.add(Access.repository(scope.name(), actions));
                    }
                }
                case Access.REGISTRY -> {
                    // The embedded engine filters _catalog by permission; an external Distribution would
                    // list every repository, so there only system administrators get the catalog.
                    boolean filtered = berth.registry().mode() == BerthSettings.RegistryMode.EMBEDDED;
                    if (scope.name().equals("catalog") && (filtered || systemAdmin)) {
                        granted.add(Access.catalog());
                    }
                }
                default -> {
                    // unknown resource types get nothing
                }
            }
        }
        return granted;
    }

    /** The guide's rules for a repository name (berth.oci.RepositoryName), checked before anything is granted. */
    void checkName(String name) {
        try {
            RepositoryName.parse(name, berth.registryHost());
        } catch (RegistryException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
