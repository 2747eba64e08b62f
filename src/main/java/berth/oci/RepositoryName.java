package berth.oci;

import java.util.regex.Pattern;

/**
 * A repository name such as {@code team/api}: the OCI name grammar (lowercase components of
 * letters and digits, joined by {@code .}, {@code _}, {@code __} or dashes, separated by
 * {@code /}), and Berth's product rule that the name together with the registry address
 * ({@code host:port/team/api}) is at most 255 characters. A parsed name is safe to use as a
 * storage path: it holds no {@code ..}, no empty or absolute segment, no NUL, nothing encoded.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Berth's (and Docker's) limit for {@code registry-address/name}. */
    public static final int MAX_LENGTH_WITH_REGISTRY = 255;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value.isEmpty() || value.length() > MAX_LENGTH_WITH_REGISTRY) {
            throw invalid(value, "a repository name has 1 to 255 characters");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw invalid(value, explain(value));
        }
    }

    /** Parses a name as a client sends it to the registry at {@code registryHost} (e.g. {@code berth.example:5000}). */
    public static RepositoryName parse(String text, String registryHost) {
        RepositoryName name = new RepositoryName(text);
        int total = registryHost.length() + 1 + text.length();
        if (total > MAX_LENGTH_WITH_REGISTRY) {
            throw invalid(text, "the repository name together with the registry address '" + registryHost
                    + "/' may be at most " + MAX_LENGTH_WITH_REGISTRY + " characters, here it is " + total);
        }
        return name;
    }

    /** The project the repository belongs to: its first component. */
    public String project() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String explain(String value) {
        if (value.indexOf('\0') >= 0 || value.contains("..") || value.contains("%") || value.startsWith("/")
                || value.contains("//") || value.contains("\\")) {
            return "a repository name may not hold '..', encoded characters, empty or absolute path segments, backslashes or NUL";
        }
        if (!value.equals(value.toLowerCase(java.util.Locale.ROOT))) {
            return "a repository name is lowercase";
        }
        return "a repository name is made of lowercase letters and digits, separated by '/' and, inside a component, by '.', '_', '__' or dashes";
    }

    private static RegistryException invalid(String value, String rule) {
        String shown = RegistryException.shown(value, 300);
        return new RegistryException(ErrorCode.NAME_INVALID, "Repository name '" + shown + "' is invalid: " + rule + ".",
                java.util.Map.of("name", shown, "rule", rule));
    }
}
