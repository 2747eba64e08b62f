package berth.oci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code scope} of a token request or a {@code WWW-Authenticate} challenge:
 * {@code repository:team/api:pull,push} or {@code registry:catalog:*}. The name may itself hold
 * colons only in a registry host with a port, which Docker never sends here, so the type is
 * everything before the first colon and the actions everything after the last.
 */
public record Scope(String type, String name, Set<String> actions) {

    public Scope {
        actions = Set.copyOf(actions);
    }

    /** Parses one scope; throws {@link IllegalArgumentException} with a sentence saying what is wrong. */
    public static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            throw new IllegalArgumentException(
                    "Scope '" + text + "' is not of the form type:name:actions, e.g. repository:team/app:pull,push.");
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Scope '" + text + "' names no resource.");
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : text.substring(last + 1).split(",")) {
            if (!action.isBlank()) {
                actions.add(action.trim());
            }
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("Scope '" + text + "' asks for no action.");
        }
        return new Scope(type, name, actions);
    }

    /** Parses every scope of a request; a parameter may hold several scopes separated by spaces. */
    public static List<Scope> parseAll(List<String> parameters) {
        List<Scope> scopes = new ArrayList<>();
        for (String parameter : parameters) {
            Arrays.stream(parameter.trim().split(" +"))
                    .filter(s -> !s.isEmpty())
                    .map(Scope::parse)
                    .forEach(scopes::add);
        }
        return scopes;
    }

    public static Scope repository(String name, String... actions) {
        return new Scope(Access.REPOSITORY, name, Set.of(actions));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
    }
}
