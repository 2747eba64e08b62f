package berth.oci;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tag such as {@code 18.04}: the OCI tag grammar ({@code [A-Za-z0-9_][A-Za-z0-9._-]*}, which
 * caps it at 128 characters) and Berth's product rule of at most 129 characters. A parsed tag is a
 * safe path segment.
 */
public record Tag(String value) implements Comparable<Tag> {

    /** The product guide's limit. The OCI grammar's 128 is one stricter, and wins, so CNCF Distribution can serve every tag. */
    public static final int MAX_LENGTH = 129;

    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public Tag {
        if (value.length() > MAX_LENGTH) {
            throw invalid(value, "a tag may be at most " + MAX_LENGTH + " characters, this one has " + value.length());
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw invalid(value, "a tag starts with a letter, digit or '_', continues with letters, digits, '.', '_' or '-', "
                    + "and has at most 128 characters (OCI)");
        }
    }

    @Override
    public int compareTo(Tag other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static RegistryException invalid(String value, String rule) {
        String shown = RegistryException.shown(value, 200);
        return new RegistryException(ErrorCode.TAG_INVALID, "Tag '" + shown + "' is invalid: " + rule + ".",
                Map.of("tag", shown, "rule", rule));
    }
}
