package berth.auth;

import berth.base.InvalidRequestException;
import berth.base.BerthSettings;
import berth.oci.Access;
import berth.oci.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Decides what a login may have of what it asks for: the intersection of the requested actions and
 * what the key's role allows, in the key's own project only. A partial grant is not an error; an
 * ill-formed request is.
 */
@Component
class TokenGrants {

    /** The OCI distribution spec's repository name grammar; the guide adds: lowercase only. */
    private static final Pattern REPOSITORY_NAME =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    static final int MAX_NAME_WITH_ADDRESS = 255;

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

    /** The guide's rules for a repository name, checked before anything is granted. */
    void checkName(String name) {
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new InvalidRequestException("Repository name '" + name + "' has uppercase letters; names are lowercase.");
        }
        if (!REPOSITORY_NAME.matcher(name).matches()) {
            throw new InvalidRequestException("Repository name '" + name + "' may use only lowercase letters, digits, "
                    + "and '.', '_', '-' or '/' between them.");
        }
        String full = berth.registryHost() + "/" + name;
        if (full.length() > MAX_NAME_WITH_ADDRESS) {
            throw new InvalidRequestException("Repository name is " + full.length() + " characters long with the registry "
                    + "address (" + berth.registryHost() + "/); at most " + MAX_NAME_WITH_ADDRESS + " are allowed.");
        }
    }
}
