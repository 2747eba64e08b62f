package berth.catalog.store;

import berth.oci.Digest;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciColumnsTest {

    private static final String SHA256 = "sha256:" + "a".repeat(64);
    private static final String SHA512 = "sha512:" + "b".repeat(128);

    @Test
    void digests_of_both_algorithms_the_registry_serves_are_kept_as_the_text_they_were() {
        OciColumns.DigestColumn column = new OciColumns.DigestColumn();
        for (String text : new String[] {SHA256, SHA512}) {
            Digest digest = column.convertToEntityAttribute(text);
            assertThat(digest).isEqualTo(Digest.parse(text));
            assertThat(column.convertToDatabaseColumn(digest)).isEqualTo(text);
        }
        assertThat(column.convertToDatabaseColumn(null)).isNull();
        assertThat(column.convertToEntityAttribute(null)).isNull();
    }

    @Test
    void a_digest_id_is_written_and_read_as_the_same_text() {
        OciColumns.DigestId id = new OciColumns.DigestId();
        Digest digest = Digest.parse(SHA512);
        assertThat(id.unwrap(digest, String.class, null)).isEqualTo(SHA512);
        assertThat(id.wrap(SHA512, null)).isEqualTo(digest);
        assertThat(id.wrap(digest, null)).as("a value Hibernate already holds as a digest").isSameAs(digest);
        assertThat(id.fromString(SHA256)).isEqualTo(Digest.parse(SHA256));
    }

    @Test
    void repository_names_are_kept_as_their_text() {
        OciColumns.RepositoryNameColumn column = new OciColumns.RepositoryNameColumn();
        RepositoryName name = column.convertToEntityAttribute("team/tools/builder");
        assertThat(name).isEqualTo(new RepositoryName("team/tools/builder"));
        assertThat(column.convertToDatabaseColumn(name)).isEqualTo("team/tools/builder");
    }

    @Test
    void a_column_holding_no_digest_is_an_error_not_a_wrong_value() {
        assertThatThrownBy(() -> new OciColumns.DigestColumn().convertToEntityAttribute("sha256:992a"))
                .isInstanceOf(RegistryException.class);
    }
}
