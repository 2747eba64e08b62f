package berth.policy.retention;

import berth.base.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * A name pattern of a retention rule: {@code **} matches anything, {@code /} included ({@code team/**}
 * is every repository under {@code team/}); {@code *} matches any run of characters but {@code /};
 * {@code ?} one character but {@code /}. Everything else matches itself. Brackets, braces and
 * backslashes are refused rather than taken literally, so nobody writes {@code v[0-9]*} believing it works.
 */
record Glob(String text, Pattern pattern) {

    private static final String REFUSED = "[]{}\\";

    /** Parses {@code text}; a bad one is refused naming {@code field}. Empty matches nothing when {@code emptyAllowed}. */
    static Glob parse(String field, String text, boolean emptyAllowed) {
        if (text.isEmpty() && !emptyAllowed) {
            throw new InvalidRequestException("The " + field + " pattern is empty; write ** for every name.");
        }
        if (text.length() > 255) {
            throw new InvalidRequestException("The " + field + " pattern is longer than 255 characters.");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (REFUSED.indexOf(c) >= 0 || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidRequestException("The " + field + " pattern '" + text + "' holds '" + c
                        + "'; patterns know only **, * and ? besides plain characters.");
            }
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                if (i + 2 < text.length() && text.charAt(i + 2) == '*') {
                    throw new InvalidRequestException("The " + field + " pattern '" + text + "' holds ***; write ** or *.");
                }
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(text, Pattern.compile(regex.toString()));
    }

    boolean matches(String name) {
        return !text.isEmpty() && pattern.matcher(name).matches();
    }
}
