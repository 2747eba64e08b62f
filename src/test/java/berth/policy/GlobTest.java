package berth.policy;

import berth.base.InvalidRequestException;
import berth.testing.RandomText;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static berth.testing.RandomText.reproduce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The glob language of policy rules: worked examples, refusals that name the field, and properties over
 * generated patterns and names - the matcher agrees with a plain regular-expression reading of the
 * same rules, and a pattern of many stars stays fast.
 */
class GlobTest {

    private final RandomText random = new RandomText(RandomText.SEED);

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            team/*    | team/app         | true  | -
            team/*    | team/app/worker  | false | -
            team/*    | other/app        | false | -
            team/**   | team/app/worker  | true  | -
            team/**   | team             | true  | a trailing /** covers the directory itself
            team/**   | teamwork/app     | false | -
            **/app    | app              | true  | **/ also matches no directory
            **/app    | a/b/app          | true  | -
            **/app    | a/b/app2         | false | -
            a/**/z    | a/z              | true  | -
            a/**/z    | a/b/c/z          | true  | -
            a/**/z    | a/bz             | false | -
            **        | any/depth/at/all | true  | -
            *         | one              | true  | -
            *         | one/two          | false | -
            app?      | app1             | true  | -
            app?      | app              | false | -
            a?b       | a/b              | false | ? is no '/'
            """)
    void stars_stay_within_a_component_and_double_stars_cross_them(String pattern, String name, boolean matches, @Nullable String why) {
        assertThat(Glob.ofRepositories("repositories", pattern).matches(name)).as(why == null ? "" : why).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            v*          | v1.0         | true  | -
            v*          | v            | true  | -
            v*          | latest       | false | -
            v*          | dev-v1       | false | -
            v1.0        | v1.0         | true  | -
            v1.0        | v1x0         | false | a dot is a dot, not any character
            release-?.* | release-2.11 | true  | -
            V*          | v1           | false | tags are case-sensitive
            """)
    void tag_globs_match_whole_tags_and_dots_are_literal(String pattern, String name, boolean matches, @Nullable String why) {
        assertThat(Glob.ofTags("tags", pattern).matches(name)).as(why == null ? "" : why).isEqualTo(matches);
    }

    @Test
    void invalid_globs_are_refused_with_a_sentence_naming_the_field() {
        for (String bad : new String[] {"", "***", "/team", "team/", "a//b", "Team/**", "team app", "a\\b", "x".repeat(256), "é"}) {
            assertThatThrownBy(() -> Glob.ofRepositories("repositories", bad)).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("repositories glob");
        }
        for (String bad : new String[] {"", "release/*", "v 1", "v1:0", "v***", "t".repeat(256)}) {
            assertThatThrownBy(() -> Glob.ofTags("tagsExclude", bad)).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tagsExclude glob");
        }
        assertThatThrownBy(() -> Glob.ofTags("tags", "release/*")).hasMessageContaining("a tag has no '/'");
    }

    @Test
    void the_matcher_agrees_with_a_regular_expression_reading_of_the_rules() {
        for (int i = 0; i < RandomText.TRIES; i++) {
            String pattern = random.from("ab/*?", 1 + random.below(8));
            Glob glob;
            try {
                glob = Glob.ofRepositories("repositories", pattern);
            } catch (InvalidRequestException refused) {
                continue;
            }
            for (int k = 0; k < 20; k++) {
                String name = random.from("ab/", random.below(9));
                assertThat(glob.matches(name)).as(reproduce(pattern + "' against '" + name)).isEqualTo(oracle(pattern, name));
            }
        }
    }

    @Test
    void any_string_is_a_valid_glob_or_refused_with_a_sentence_and_never_anything_else() {
        for (int i = 0; i < RandomText.TRIES; i++) {
            String text = random.any();
            try {
                Glob.ofRepositories("repositories", text).matches(text);
                Glob.ofTags("tags", text).matches(text);
            } catch (InvalidRequestException e) {
                assertThat(e.getMessage()).as(reproduce(text)).contains(" glob ");
            } catch (RuntimeException e) {
                fail(reproduce(text) + " threw " + e);
            }
        }
    }

    @Test
    void a_pattern_of_many_stars_against_a_long_name_takes_no_time() {
        // A backtracking regular expression takes exponential time on this; the matcher is length × length.
        Glob stars = Glob.ofTags("tags", "*a".repeat(100) + "b");
        long started = System.nanoTime();
        assertThat(stars.matches("a".repeat(128))).isFalse();
        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds").isLessThan(500);
    }

    /**
     * The language read directly off its definition, by backtracking over the pattern text: slow, fine for
     * the short inputs of the property, and written apart from the matcher so that the two can disagree.
     */
    private static boolean oracle(String glob, String name) {
        return match(glob, 0, name, 0);
    }

    private static boolean match(String p, int i, String s, int j) {
        if (i == p.length()) {
            return j == s.length();
        }
        if (p.startsWith("/**", i) && i + 3 == p.length()) {
            return j == s.length() || s.charAt(j) == '/';
        }
        if (p.startsWith("**", i)) {
            boolean componentStart = i == 0 || p.charAt(i - 1) == '/';
            if (componentStart && p.startsWith("**/", i)) {
                for (int k = j; k <= s.length(); k++) {
                    if ((k == j || s.charAt(k - 1) == '/') && match(p, i + 3, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            for (int k = j; k <= s.length(); k++) {
                if (match(p, i + 2, s, k)) {
                    return true;
                }
            }
            return false;
        }
        char c = p.charAt(i);
        if (c == '*') {
            for (int k = j; k <= s.length(); k++) {
                if (match(p, i + 1, s, k)) {
                    return true;
                }
                if (k < s.length() && s.charAt(k) == '/') {
                    return false;
                }
            }
            return false;
        }
        if (j == s.length()) {
            return false;
        }
        return (c == '?' ? s.charAt(j) != '/' : s.charAt(j) == c) && match(p, i + 1, s, j + 1);
    }
}
