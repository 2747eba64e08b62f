package berth.auth;

import berth.base.BerthSettings;
import berth.base.InvalidRequestException;
import berth.oci.Access;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Decides what a login may have of what it asks for: the intersection of the requested actions and
 * what the login may do in the repository's project. A project Appkey (automation) works in its own
 * project only. A personal Appkey works wherever its owner is a member, with the owner's role there:
 * the Docker CLI keeps one credential per registry host, so someone in two projects on one Berth
 * must not have to log in again to switch. A partial grant is not an error; an ill-formed request is.
 */
@Component
record TokenGrants(BerthSettings berth, MembershipRepository memberships, ProjectRepository projects) {

    List<Access> grant(Appkeys.Login login, boolean systemAdmin, List<Scope> scopes) {
        List<Access> granted = new ArrayList<>();
        for (Scope scope : scopes) {
            switch (scope.type()) {
                case Access.REPOSITORY -> {
                    checkName(scope.name());
                    Set<String> allowed = allowedIn(ProjectAccess.projectOf(scope.name()), login, systemAdmin);
                    Set<String> actions = new LinkedHashSet<>();
                    for (String asked : scope.actions()) {
                        if (asked.equals("*")) {
                            actions.addAll(allowed);
                        } else if (allowed.contains(asked)) {
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

    /** The registry actions {@code login} has in {@code project}. */
    private Set<String> allowedIn(String project, Appkeys.Login login, boolean systemAdmin) {
        if (project.equals(login.project())) {
            return login.actions();
        }
        if (!login.personal()) {
            return Set.of();
        }
        Optional<Membership> membership = memberships.find(project, login.subject());
        if (membership.isPresent()) {
            return membership.get().role().registryActions();
        }
        return systemAdmin && projects.existsByName(project) ? Role.ADMIN.registryActions() : Set.of();
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
