package berth.auth;

import berth.base.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * A project's name: the first path component of its repositories, so one component of the OCI name
 * grammar, lowercase as the guide requires, at most 64 characters.
 */
public record ProjectName(String value) {

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    static final int MAX_LENGTH = 64;

    public ProjectName {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new InvalidRequestException("Project names are 1 to " + MAX_LENGTH + " characters long.", "error.project.name-length",
                    String.valueOf(MAX_LENGTH));
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new InvalidRequestException("Project name '" + value + "' may use only lowercase letters, digits and "
                    + "'.', '_' or '-' between them.", "error.project.name-invalid", value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
