package berth.oci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    private static final String HOST = "registry.example.test:5000";

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu", "team/api", "a/b/c", "my-app", "my__app", "my.app", "a0/b-1/c.2", "x---y"})
    void names_of_the_oci_grammar_are_accepted(String name) {
        assertThat(RepositoryName.parse(name, HOST).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ubuntu", "team/API", "", "/abs", "a//b", "a/", "-a", "a-", "a..b", "../etc", "a/../b", "a/./b",
            "a%2fb", "a\0b", "a\\b", "a___b", "a b", "a:b", "é"})
    void other_names_are_name_invalid(String name) {
        assertThatThrownBy(() -> RepositoryName.parse(name, HOST))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }

    @Test
    void an_uppercase_name_is_told_it_must_be_lowercase() {
        assertThatThrownBy(() -> RepositoryName.parse("Team/App", HOST)).hasMessageContaining("lowercase");
    }

    @Test
    void a_name_may_have_255_characters_with_the_registry_address_and_not_one_more() {
        String fits = "a".repeat(255 - HOST.length() - 1);
        assertThat(RepositoryName.parse(fits, HOST).value()).hasSize(255 - HOST.length() - 1);
        assertThatThrownBy(() -> RepositoryName.parse(fits + "b", HOST))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID))
                .hasMessageContaining("255").hasMessageContaining(HOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "18.04", "v1.0-rc_1", "_x", "A", "a..b"})
    void tags_of_the_oci_grammar_are_accepted(String tag) {
        assertThat(new Tag(tag).value()).isEqualTo(tag);
    }

    @Test
    void a_tag_may_have_128_characters() {
        assertThat(new Tag("x".repeat(128)).value()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "-dash", "a/b", "a:b", "..", "a b", "a\0"})
    void other_tags_are_tag_invalid(String tag) {
        assertThatThrownBy(() -> new Tag(tag))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TAG_INVALID));
    }

    @Test
    void a_tag_over_129_characters_is_told_the_limit() {
        assertThatThrownBy(() -> new Tag("t".repeat(130))).hasMessageContaining("129");
        // The OCI grammar itself stops at 128, so CNCF Distribution can serve every tag Berth accepts.
        assertThatThrownBy(() -> new Tag("t".repeat(129))).hasMessageContaining("128");
    }

    @Test
    void digests_are_sha256_or_sha512_in_lowercase_hex() {
        String hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(Digest.parse("sha256:" + hex)).isEqualTo(new Digest("sha256", hex));
        assertThat(Digest.sha256(new byte[0]).toString()).isEqualTo("sha256:" + hex);
        for (String bad : new String[] {"sha256:" + hex.toUpperCase(), "sha256:" + hex.substring(1), "md5:" + hex, hex, "sha256:../" + hex, ":x"}) {
            assertThatThrownBy(() -> Digest.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        }
    }

    @Test
    void a_reference_is_a_digest_when_it_holds_a_colon_and_a_tag_otherwise() {
        assertThat(Reference.parse("latest")).isEqualTo(new Reference.ByTag(new Tag("latest")));
        assertThat(Reference.parse(Digest.sha256(new byte[0]).toString())).isInstanceOf(Reference.ByDigest.class);
        assertThatThrownBy(() -> Reference.parse("sha256:nope")).isInstanceOf(RegistryException.class);
    }

    @Test
    void the_error_body_is_the_specs() {
        RegistryException e = new RegistryException(ErrorCode.BLOB_UNKNOWN, "gone", java.util.Map.of("digest", "sha256:x"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.body()).isEqualTo(java.util.Map.of("errors", java.util.List.of(
                java.util.Map.of("code", "BLOB_UNKNOWN", "message", "gone", "detail", java.util.Map.of("digest", "sha256:x")))));
        assertThat(e.withStatus(416).status()).isEqualTo(416);
    }
}
