package berth.policy;

import berth.base.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A pattern over repository names (within a project) or tags, as policy rules write them: {@code *}
 * any run of characters within one path component, {@code ?} one character other than {@code /},
 * {@code **} any run of characters across components. {@code **}{@code /} at the start of a component
 * also matches no components ({@code **}{@code /app} matches {@code app}), and a trailing
 * {@code /**} also matches the directory itself ({@code team/**} matches {@code team}). Everything
 * else is literal.
 *
 * <p>Matched by dynamic programming over pattern and text, not by a regular expression: a pattern of
 * many stars costs at most (pattern length × text length) steps, whatever a person types.
 */
public final class Glob {

    /** Longer patterns are refused: no repository name or tag is longer. */
    public static final int MAX_LENGTH = 255;
    private static final Pattern REPOSITORY_CHARACTERS = Pattern.compile("[a-z0-9._/*?-]+");
    private static final Pattern TAG_CHARACTERS = Pattern.compile("[A-Za-z0-9._*?-]+");

    private enum Kind { LITERAL, ONE, STAR, GLOBSTAR, ANY_DIRECTORIES, SUBTREE }

    private record Token(Kind kind, char literal) {
    }

    private final String text;
    private final List<Token> tokens;

    private Glob(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /**
     * A glob over repository names within a project ({@code team/**}), from the request's field
     * {@code field}; an {@link InvalidRequestException} whose sentence names the field and the fault otherwise.
     */
    public static Glob ofRepositories(String field, String text) {
        if (!text.isEmpty() && !REPOSITORY_CHARACTERS.matcher(text).matches()) {
            throw invalid(field, text, "it may hold only lowercase letters, digits, '.', '_', '-', '/' and the wildcards *, ** and ?,"
                    + " as repository names do");
        }
        return parse(field, text);
    }

    /**
     * A glob over tags ({@code v*}), from the request's field {@code field}; an
     * {@link InvalidRequestException} whose sentence names the field and the fault otherwise.
     */
    public static Glob ofTags(String field, String text) {
        if (!text.isEmpty() && !TAG_CHARACTERS.matcher(text).matches()) {
            throw invalid(field, text, "it may hold only letters, digits, '.', '_', '-' and the wildcards * and ?, as tags do"
                    + (text.contains("/") ? " (a tag has no '/')" : ""));
        }
        return parse(field, text);
    }

    private static Glob parse(String field, String text) {
        if (text.isEmpty()) {
            throw invalid(field, text, "it is empty; ** matches everything");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(field, text, "it has more than " + MAX_LENGTH + " characters");
        }
        if (text.contains("***")) {
            throw invalid(field, text, "three or more stars in a row mean nothing; use * or **");
        }
        if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
            throw invalid(field, text, "a '/' separates two path components and cannot start, end or double");
        }
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean atComponentStart = i == 0 || text.charAt(i - 1) == '/';
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                boolean wholeComponent = atComponentStart && (i + 2 == text.length() || text.charAt(i + 2) == '/');
                if (wholeComponent && i + 2 < text.length()) {
                    tokens.add(new Token(Kind.ANY_DIRECTORIES, ' '));
                    i += 2; // the '/' is part of the token
                } else if (wholeComponent && !tokens.isEmpty() && tokens.getLast().equals(new Token(Kind.LITERAL, '/'))) {
                    tokens.removeLast(); // the '/' before it is part of the token
                    tokens.add(new Token(Kind.SUBTREE, ' '));
                    i++;
                } else {
                    tokens.add(new Token(Kind.GLOBSTAR, ' '));
                    i++;
                }
            } else if (c == '*') {
                tokens.add(new Token(Kind.STAR, ' '));
            } else if (c == '?') {
                tokens.add(new Token(Kind.ONE, ' '));
            } else {
                tokens.add(new Token(Kind.LITERAL, c));
            }
        }
        return new Glob(text, List.copyOf(tokens));
    }

    private static InvalidRequestException invalid(String field, String text, String why) {
        return new InvalidRequestException("The " + field + " glob '" + abbreviate(text) + "' is not valid: " + why + ".");
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** Whether the whole of {@code candidate} matches. */
    public boolean matches(String candidate) {
        int n = candidate.length();
        // matched[j]: the tokens so far can match candidate[0, j).
        boolean[] matched = new boolean[n + 1];
        matched[0] = true;
        for (Token token : tokens) {
            boolean[] next = new boolean[n + 1];
            switch (token.kind()) {
                case LITERAL -> {
                    for (int j = 0; j < n; j++) {
                        next[j + 1] = matched[j] && candidate.charAt(j) == token.literal();
                    }
                }
                case ONE -> {
                    for (int j = 0; j < n; j++) {
                        next[j + 1] = matched[j] && candidate.charAt(j) != '/';
                    }
                }
                case STAR -> {
                    for (int j = 0; j <= n; j++) {
                        next[j] = matched[j] || (j > 0 && next[j - 1] && candidate.charAt(j - 1) != '/');
                    }
                }
                case GLOBSTAR -> {
                    for (int j = 0; j <= n; j++) {
                        next[j] = matched[j] || (j > 0 && next[j - 1]);
                    }
                }
                case ANY_DIRECTORIES -> {
                    // Nothing, or anything that ends in '/' (and starts where the pattern stood).
                    boolean reachable = false;
                    for (int j = 0; j <= n; j++) {
                        next[j] = matched[j] || (reachable && candidate.charAt(j - 1) == '/');
                        reachable = reachable || matched[j];
                    }
                }
                case SUBTREE -> {
                    // Nothing, or '/' followed by anything.
                    boolean below = false;
                    for (int j = 0; j <= n; j++) {
                        below = below || (j > 0 && matched[j - 1] && candidate.charAt(j - 1) == '/');
                        next[j] = matched[j] || below;
                    }
                }
            }
            matched = next;
        }
        return matched[n];
    }

    @Override
    public String toString() {
        return text;
    }
}
