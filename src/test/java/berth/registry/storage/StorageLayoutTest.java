package berth.registry.storage;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The paths of CNCF Distribution's registry/storage/paths.go, character for character. */
class StorageLayoutTest {

    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Digest DIGEST = new Digest("sha256", HEX);
    private static final RepositoryName NAME = new RepositoryName("team/api");

    @Test
    void blobs_are_stored_once_by_digest() {
        assertThat(StorageLayout.blobData(DIGEST)).isEqualTo("/docker/registry/v2/blobs/sha256/e3/" + HEX + "/data");
    }

    @Test
    void repositories_link_layers_manifests_and_tags() {
        String repo = "/docker/registry/v2/repositories/team/api";
        assertThat(StorageLayout.layerLink(NAME, DIGEST)).isEqualTo(repo + "/_layers/sha256/" + HEX + "/link");
        assertThat(StorageLayout.revisionLink(NAME, DIGEST)).isEqualTo(repo + "/_manifests/revisions/sha256/" + HEX + "/link");
        assertThat(StorageLayout.tagCurrentLink(NAME, new Tag("1.0"))).isEqualTo(repo + "/_manifests/tags/1.0/current/link");
        assertThat(StorageLayout.tagIndexLink(NAME, new Tag("1.0"), DIGEST))
                .isEqualTo(repo + "/_manifests/tags/1.0/index/sha256/" + HEX + "/link");
        UUID id = UUID.fromString("3f1c0a0e-7b0e-4c5e-9a53-1d5b8f0f6a11");
        assertThat(StorageLayout.uploadData(NAME, id)).isEqualTo(repo + "/_uploads/" + id + "/data");
        assertThat(StorageLayout.uploadStartedAt(NAME, id)).isEqualTo(repo + "/_uploads/" + id + "/startedat");
        assertThat(new String(StorageLayout.linkContent(DIGEST))).isEqualTo("sha256:" + HEX);
    }
}
