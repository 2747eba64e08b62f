package berth.e2e.registry;

import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.e2e.registry.ImageTarball.Blob;
import berth.e2e.registry.ImageTarball.LayerEntry;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth's own container image, as {@code ./mvnw verify} built it with Jib ({@code jib:buildTar} in
 * package, on the Debian Java base, see pom.xml), goes into a running Berth with jib-core logged in as email +
 * Appkey and comes back with skopeo: every layer byte-identical to the tarball, and the config runs Berth the way
 * pom.xml says. ContainerImageE2EIT runs the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnImageE2EIT extends EmbeddedRegistryTest {

    private static final String PROJECT = "berth-images";
    private static final String DATA_DIRECTORY = "/var/lib/berth";

    private final String version = System.getProperty("berth.image.version", "0.1.0-SNAPSHOT");
    private ImageTarball built;
    private JibContainer pushed;
    private Path pulled;
    private JsonNode pulledManifest;

    @BeforeAll
    void jibPushesTheBuiltImageAndSkopeoPullsItBack() throws Exception {
        Tools.require("skopeo");
        Path tarball = Path.of(System.getProperty("berth.image.tarball", "target/berth-image.tar"));
        if (!Files.isRegularFile(tarball)) {
            throw new AssertionError("Berth's image tarball " + tarball + " is missing: './mvnw verify' builds it with "
                    + "jib:buildTar in the package phase before this test runs.");
        }
        Path work = Files.createDirectories(WORK.resolve("own-image"));
        built = ImageTarball.unpack(tarball, work.resolve("built"));

        String reference = address() + "/" + PROJECT + "/berth:" + version;
        String appkey = adminAppkey(PROJECT);
        // Jib refuses to send credentials over plain HTTP unless told it may.
        System.setProperty("sendCredentialsOverHttp", "true");
        // Caches of their own, so no layer compressed by an earlier run stands in for the tarball's bytes.
        pushed = Jib.from(TarImage.at(tarball))
                .containerize(Containerizer.to(RegistryImage.named(reference).addCredential(ADMIN, appkey))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("jib-base-cache"))
                        .setApplicationLayersCache(work.resolve("jib-application-cache")));

        // dir: keeps the manifest Jib pushed exactly as it is (oci: would convert it).
        pulled = work.resolve("pulled");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + appkey,
                "docker://" + reference, "dir:" + pulled)).requireSuccess("skopeo pull of Berth's image");
        pulledManifest = RegistryHttp.JSON.readTree(pulled.resolve("manifest.json").toFile());
    }

    @Test
    void every_layer_comes_back_byte_identical_to_the_built_tarball() throws Exception {
        assertThat(TestImages.sha256(pulled.resolve("manifest.json"))).isEqualTo(pushed.getDigest().toString());
        // Berth's own five (dependencies, resources, classes, jvm arg files, extra files) on top of the base's.
        assertThat(built.layers()).hasSizeGreaterThanOrEqualTo(5);

        List<Blob> described = new ArrayList<>();
        pulledManifest.path("layers").forEach(layer -> described.add(new Blob(layer.path("digest").asString(), layer.path("size").asLong())));
        assertThat(described).isEqualTo(built.layers());
        for (Blob layer : described) {
            Path bytes = blob(layer.digest());
            assertThat(TestImages.sha256(bytes)).isEqualTo(layer.digest());
            assertThat(Files.size(bytes)).isEqualTo(layer.size());
        }
    }

    @Test
    void the_config_runs_berth_as_a_non_root_user_with_its_data_directory_as_a_volume() throws Exception {
        String configDigest = pulledManifest.path("config").path("digest").asString();
        assertThat(TestImages.sha256(blob(configDigest))).isEqualTo(configDigest);
        JsonNode image = RegistryHttp.JSON.readTree(blob(configDigest).toFile());
        JsonNode config = image.path("config");

        assertThat(strings(config.path("Entrypoint"))).containsExactly(
                "java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file",
                "berth.BerthApplication");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).as("exposes 8080: %s", config.path("ExposedPorts")).isTrue();
        assertThat(config.path("Volumes").has(DATA_DIRECTORY)).as("volume %s: %s", DATA_DIRECTORY, config.path("Volumes")).isTrue();
        assertThat(strings(config.path("Env"))).contains("BERTH_DATA_DIR=" + DATA_DIRECTORY);
        assertThat(config.path("User").asString()).isEqualTo("1000:1000");
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asString()).isEqualTo("Berth");
        assertThat(config.path("Labels").path("org.opencontainers.image.version").asString()).isEqualTo(version);
        // The layers' uncompressed content too is what the build made.
        assertThat(image.path("rootfs").path("diff_ids")).isEqualTo(built.config().path("rootfs").path("diff_ids"));
        assertThat(config).isEqualTo(built.config().path("config"));
    }

    @Test
    void the_layers_hold_the_console_in_production_mode_every_classpath_entry_and_a_data_directory_berth_may_write() {
        Map<String, LayerEntry> files = new HashMap<>();
        pulledManifest.path("layers").forEach(layer -> files.putAll(ImageTarball.entries(blob(layer.path("digest").asString()))));

        // Without the token file the production build wrote, Vaadin would look for its dev server, which Berth leaves out.
        JsonNode buildInfo = RegistryHttp.JSON.readTree(content(files, "app/resources/META-INF/VAADIN/config/flow-build-info.json"));
        assertThat(buildInfo.path("productionMode").asBoolean()).isTrue();
        assertThat(files.keySet()).anyMatch(name -> name.startsWith("app/resources/META-INF/VAADIN/webapp/VAADIN/build/") && name.endsWith(".js"));
        assertThat(files).containsKey("app/classes/berth/BerthApplication.class");
        assertThat(files).containsKey("app/resources/application.yml");

        String classpath = new String(content(files, "app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
        assertThat(classpath.split(":")).hasSizeGreaterThan(100).allSatisfy(entry ->
                assertThat(files).as("classpath entry %s is in a layer", entry).containsKey(entry.substring(1) + (entry.endsWith(".jar") ? "" : "/")));

        // A fresh volume takes the directory's mode from the image; Jib makes every file root's, so only 777 lets uid 1000 write.
        LayerEntry dataDirectory = files.get(DATA_DIRECTORY.substring(1) + "/");
        assertThat(dataDirectory).as("the image holds %s", DATA_DIRECTORY).isNotNull();
        assertThat(dataDirectory.directory()).isTrue();
        assertThat(Integer.toOctalString(dataDirectory.mode())).isEqualTo("777");
    }

    private Path blob(String digest) {
        return pulled.resolve(digest.substring("sha256:".length()));
    }

    private static byte[] content(Map<String, LayerEntry> files, String name) {
        LayerEntry entry = files.get(name);
        assertThat(entry).as("%s is in a layer", name).isNotNull();
        return entry.content();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
