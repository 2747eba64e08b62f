package berth.catalog.sync;

import berth.catalog.remote.ManifestDocument;
import berth.oci.Digest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestImportTest {

    private static ManifestDocument attachedTo(String subject) {
        return new ManifestDocument("application/vnd.oci.image.manifest.v1+json", "application/spdx+json", null, null, null, null,
                new ManifestDocument.Descriptor("application/vnd.oci.image.manifest.v1+json", subject, 100, null));
    }

    @Test
    void a_subject_is_parsed_once_where_the_manifest_names_it() {
        String sha256 = "sha256:" + "a".repeat(64);
        assertThat(ManifestImport.subject(attachedTo(sha256))).isEqualTo(Digest.parse(sha256));
        String sha512 = "sha512:" + "b".repeat(128);
        assertThat(ManifestImport.subject(attachedTo(sha512))).as("135 characters; the columns hold 150 since V66").isEqualTo(Digest.parse(sha512));
    }

    @Test
    void a_subject_that_is_no_digest_or_does_not_fit_the_catalogs_columns_is_none() {
        assertThat(ManifestImport.subject(attachedTo("sha256:992a"))).as("Distribution 2.8 does not check").isNull();
        assertThat(ManifestImport.subject(attachedTo("sha256:" + "c".repeat(160)))).as("longer than the columns hold").isNull();
    }
}
