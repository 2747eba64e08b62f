package berth.oci;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    @Test
    void a_docker_image_manifest_names_its_config_and_layers() {
        Manifest manifest = parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":7},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":9},
                           {"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"%s","size":9,"urls":["https://x"]}]}
                """.formatted(A, B, C), MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.blobs()).extracting(d -> d.digest().toString()).containsExactly(A, B);
        assertThat(manifest.isIndex()).isFalse();
    }

    @Test
    void an_oci_index_without_media_type_is_recognised_by_its_manifests() {
        Manifest index = parse("""
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":3}]}
                """.formatted(A), null);
        assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.manifests()).hasSize(1);
        assertThat(index.blobs()).isEmpty();
    }

    @Test
    void an_artifact_reports_its_artifact_type_and_subject() {
        Manifest artifact = parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/x-sig",
                 "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[],
                 "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":5},
                 "annotations":{"k":"v"}}
                """.formatted(A, B), MediaTypes.OCI_MANIFEST + "; charset=utf-8");
        assertThat(artifact.effectiveArtifactType()).isEqualTo("application/x-sig");
        assertThat(artifact.subject().digest().toString()).isEqualTo(B);
        assertThat(artifact.annotations()).containsEntry("k", "v");
    }

    @Test
    void broken_manifests_are_manifest_invalid_with_the_reason() {
        assertInvalid("{", "well-formed");
        assertInvalid("[]", "object");
        assertInvalid("{\"schemaVersion\":1}", "schemaVersion");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"text/plain\",\"config\":{}}", "text/plain");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}", "config");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":{}}", "array");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:1\",\"size\":1}]}",
                "digest");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}", MediaTypes.DOCKER_MANIFEST_LIST))
                .hasMessageContaining("Content-Type");
    }

    @Test
    void a_manifest_without_media_type_is_oci_whatever_the_content_type_claims_and_docker_types_must_name_theirs() {
        String image = """
                {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7},"layers":[]}
                """.formatted(A);
        assertThat(parse(image, null).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parse(image, MediaTypes.OCI_MANIFEST).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parse(image, "application/json").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        // Otherwise the same bytes could be stored as two types, and which one a client got would depend on the last push.
        assertThatThrownBy(() -> parse(image, MediaTypes.DOCKER_MANIFEST))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID))
                .hasMessageContaining("must name its mediaType");
        assertThatThrownBy(() -> parse(image, MediaTypes.OCI_INDEX)).hasMessageContaining(MediaTypes.OCI_MANIFEST);
        assertInvalid("{\"schemaVersion\":2,\"layers\":[]}", "neither");
    }

    private static void assertInvalid(String json, String reason) {
        assertThatThrownBy(() -> parse(json, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID))
                .hasMessageContaining(reason);
    }

    @Test
    void an_index_names_the_child_for_a_platform_and_nothing_for_a_platform_it_lacks() {
        String arm = "sha256:" + "a".repeat(64);
        String amd = "sha256:" + "b".repeat(64);
        byte[] index = ("""
                {"schemaVersion":2,"manifests":[
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"architecture":"arm64","os":"linux"}},
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"architecture":"amd64","os":"linux"}}]}
                """.formatted(arm, amd)).getBytes(StandardCharsets.UTF_8);
        assertThat(Manifest.childFor(index, "linux", "amd64")).contains(Digest.parse(amd));
        assertThat(Manifest.childFor(index, "windows", "amd64")).isEmpty();
        assertThat(Manifest.childFor("not json".getBytes(StandardCharsets.UTF_8), "linux", "amd64")).isEmpty();
    }

    private static Manifest parse(String json, String contentType) {
        return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), contentType);
    }
}
