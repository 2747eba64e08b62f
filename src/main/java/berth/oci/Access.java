package berth.oci;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One entry of a registry token's {@code access} claim, as the Docker token authentication spec
 * defines it: a resource ({@code repository}, {@code registry}) and the actions allowed on it.
 *
 * @param type {@code repository} or {@code registry}
 * @param name a repository name, or {@code catalog}
 * @param actions {@code pull}, {@code push}, {@code delete}, or {@code *}
 */
public record Access(String type, String name, Set<String> actions) {

    public static final String PULL = "pull";
    public static final String PUSH = "push";
    public static final String DELETE = "delete";
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";

    public Access {
        actions = Set.copyOf(new LinkedHashSet<>(actions));
    }

    public static Access repository(String name, Collection<String> actions) {
        return new Access(REPOSITORY, name, Set.copyOf(actions));
    }

    public static Access catalog() {
        return new Access(REGISTRY, "catalog", Set.of("*"));
    }

    public boolean allows(String type, String name, String action) {
        return this.type.equals(type) && this.name.equals(name) && (actions.contains(action) || actions.contains("*"));
    }
}
