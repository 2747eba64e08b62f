package berth.oci;

import berth.testing.RandomText;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static berth.testing.RandomText.reproduce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the OCI value types over generated input (issue 23, fuzzing): every string is
 * either accepted as a value that is safe to use as a path, or refused with the protocol's error
 * code; no other exception, whatever the input. Valid text made from the grammar is always accepted.
 */
class ParsingPropertiesTest {

    private static final String HOST = "registry.example.test:5000";
    private static final Pattern LOWER_ALNUM = Pattern.compile("[a-z0-9]+");
    private final RandomText random = new RandomText(RandomText.SEED);

    @Test
    void a_repository_name_is_accepted_only_when_safe_and_otherwise_name_invalid() {
        random.check(() -> random.chance(50) ? random.any() : random.mutate(validName()), text -> {
            RepositoryName name = RepositoryName.parse(text, HOST);
            assertThat(name.value()).as(reproduce(text)).isEqualTo(text).hasSizeLessThanOrEqualTo(255 - HOST.length() - 1)
                    .doesNotContain("..", "//", "%", "\\", "\0", ":").doesNotStartWith("/").doesNotEndWith("/")
                    .isLowerCase();
            for (String component : text.split("/")) {
                assertThat(component).as(reproduce(text)).isNotEmpty();
                assertThat(LOWER_ALNUM.matcher(component.substring(0, 1)).matches()).as(reproduce(text)).isTrue();
                assertThat(LOWER_ALNUM.matcher(component.substring(component.length() - 1)).matches()).as(reproduce(text)).isTrue();
            }
        }, RegistryException.class, (text, e) -> assertThat(e.code()).as(reproduce(text)).isEqualTo(ErrorCode.NAME_INVALID));
        for (int i = 0; i < RandomText.TRIES / 10; i++) {
            String valid = validName();
            assertThat(RepositoryName.parse(valid, HOST).value()).as(reproduce(valid)).isEqualTo(valid);
        }
    }

    @Test
    void a_tag_is_accepted_exactly_when_it_follows_the_oci_grammar_and_otherwise_tag_invalid() {
        random.check(() -> random.chance(50) ? random.any() : random.mutate(validTag()), text -> {
            assertThat(new Tag(text).value()).as(reproduce(text)).isEqualTo(text);
            assertThat(grammaticalTag(text)).as(reproduce(text) + " was accepted").isTrue();
        }, RegistryException.class, (text, e) -> {
            assertThat(e.code()).as(reproduce(text)).isEqualTo(ErrorCode.TAG_INVALID);
            assertThat(grammaticalTag(text)).as(reproduce(text) + " was refused").isFalse();
        });
    }

    private static boolean grammaticalTag(String text) {
        return !text.isEmpty() && text.length() <= 128 && isTagStart(text.charAt(0))
                && text.chars().allMatch(c -> isTagStart((char) c) || c == '.' || c == '-');
    }

    @Test
    void a_digest_round_trips_when_accepted_and_is_otherwise_digest_invalid() {
        random.check(() -> switch (random.below(3)) {
            case 0 -> random.any();
            case 1 -> random.mutate(validDigest());
            default -> validDigest();
        }, text -> {
            Digest digest = Digest.parse(text);
            assertThat(digest.toString()).as(reproduce(text)).isEqualTo(text);
            assertThat(text).as(reproduce(text)).matches("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
        }, RegistryException.class, (text, e) -> assertThat(e.code()).as(reproduce(text)).isEqualTo(ErrorCode.DIGEST_INVALID));
    }

    @Test
    void a_reference_is_a_digest_exactly_when_it_holds_a_colon_and_never_fails_otherwise() {
        random.check(() -> switch (random.below(3)) {
            case 0 -> random.any();
            case 1 -> random.mutate(validDigest());
            default -> random.mutate(validTag());
        }, text -> {
            Reference reference = Reference.parse(text);
            assertThat(reference).as(reproduce(text)).isInstanceOf(text.contains(":") ? Reference.ByDigest.class : Reference.ByTag.class);
            assertThat(reference.toString()).as(reproduce(text)).isEqualTo(text);
        }, RegistryException.class, (text, e) -> assertThat(e.code()).as(reproduce(text)).isIn(ErrorCode.DIGEST_INVALID, ErrorCode.TAG_INVALID));
    }

    @Test
    void a_scope_round_trips_when_accepted_and_is_otherwise_refused_with_a_sentence() {
        random.check(() -> random.chance(50) ? random.any()
                : random.mutate("repository:" + validName() + ":" + (random.chance(50) ? "pull" : "pull,push")), text -> {
            Scope scope = Scope.parse(text);
            assertThat(scope.type()).as(reproduce(text)).isNotEmpty().doesNotContain(":");
            assertThat(scope.actions()).as(reproduce(text)).isNotEmpty();
            if (!text.matches("(?s).*[\\s\\p{Cntrl}].*")) {
                // Whitespace around actions is trimmed (and separates scopes in a request), so only text without it round-trips.
                assertThat(Scope.parse(scope.toString())).as(reproduce(text)).isEqualTo(scope);
            }
        }, IllegalArgumentException.class, (text, e) -> assertThat(e.getMessage()).as(reproduce(text)).startsWith("Scope '"));
    }

    private String validName() {
        StringBuilder name = new StringBuilder();
        int components = 1 + random.below(3);
        for (int c = 0; c < components; c++) {
            if (c > 0) {
                name.append('/');
            }
            name.append(random.from("abz09", 1 + random.below(6)));
            if (random.chance(40)) {
                name.append(switch (random.below(4)) {
                    case 0 -> ".";
                    case 1 -> "_";
                    case 2 -> "__";
                    default -> "--";
                }).append(random.from("abz09", 1 + random.below(4)));
            }
        }
        return name.toString();
    }

    private String validTag() {
        return random.from("aZ_9", 1) + random.from("aZ_9.-", random.below(random.chance(10) ? 128 : 12));
    }

    private String validDigest() {
        return random.chance(80) ? "sha256:" + random.from("0123456789abcdef", 64) : "sha512:" + random.from("0123456789abcdef", 128);
    }

    private static boolean isTagStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
}
