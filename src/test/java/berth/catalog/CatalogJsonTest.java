package berth.catalog;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API's JSON names repositories and digests as strings, as before they were value types. */
class CatalogJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RepositoryName REPOSITORY = new RepositoryName("team/app");
    private static final Digest MANIFEST = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest CONFIG = Digest.parse("sha512:" + "c".repeat(128));
    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void a_repository_row_names_the_repository_as_a_string() {
        JsonNode row = JSON.valueToTree(new RepositorySummary(REPOSITORY, "team", 1, 10, AT, AT));
        assertThat(row.get("name").isString()).isTrue();
        assertThat(row.get("name").asString()).isEqualTo("team/app");
    }

    @Test
    void tag_details_give_every_digest_as_a_string() {
        TagSummary tag = new TagSummary(REPOSITORY, "v1", MANIFEST, "application/vnd.oci.image.manifest.v1+json", 10, null, AT, null, 0,
                "host/team/app:v1", "host/team/app@" + MANIFEST);
        TagDetails.Image image = new TagDetails.Image(MANIFEST, "application/vnd.oci.image.manifest.v1+json", 10, "linux", "amd64", null,
                null, CONFIG, "application/vnd.oci.image.config.v1+json",
                new TagDetails.RunConfig(List.of(), List.of(), List.of(), Map.of(), List.of(), null), List.of());
        TagDetails details = new TagDetails(tag, null, 10, null, image, List.of(new TagDetails.Platform(MANIFEST, "m", 10, null, null, null, null)),
                List.of(new TagDetails.Attached(MANIFEST, null, "m", 10, AT, null)));

        JsonNode json = JSON.valueToTree(details);

        assertThat(json.at("/tag/repository").asString()).isEqualTo("team/app");
        assertThat(json.at("/tag/digest").asString()).isEqualTo(MANIFEST.toString());
        assertThat(json.at("/image/digest").asString()).isEqualTo(MANIFEST.toString());
        assertThat(json.at("/image/configDigest").asString()).isEqualTo(CONFIG.toString());
        assertThat(json.at("/platforms/0/digest").asString()).isEqualTo(MANIFEST.toString());
        assertThat(json.at("/attached/0/digest").asString()).isEqualTo(MANIFEST.toString());
        for (String pointer : List.of("/tag/repository", "/tag/digest", "/image/digest", "/image/configDigest", "/platforms/0/digest",
                "/attached/0/digest")) {
            assertThat(json.at(pointer).isString()).as(pointer).isTrue();
        }
    }
}
