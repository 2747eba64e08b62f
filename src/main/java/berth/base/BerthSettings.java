package berth.base;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every module reads. Set them from the environment ({@code BERTH_DATA_DIR},
 * {@code BERTH_PUBLIC_URL}, {@code BERTH_REGISTRY_MODE}, ...); the defaults run Berth on one machine.
 *
 * @param dataDir where the database, blobs and keys live
 * @param publicUrl how users reach Berth; in embedded mode also the registry host of {@code docker login}
 * @param registry which registry serves /v2/ and how Berth reaches it
 */
@ConfigurationProperties("berth")
public record BerthSettings(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("http://localhost:8080") URI publicUrl,
        @DefaultValue Registry registry) {

    public enum RegistryMode { EMBEDDED, EXTERNAL }

    /**
     * @param mode embedded: Berth serves /v2/ itself; external: a CNCF Distribution registry does
     * @param url how Berth reaches the external registry (external mode)
     * @param publicUrl the external registry's address as users type it (external mode)
     * @param eventsSecret what Distribution sends in the Authorization header of its notifications
     */
    public record Registry(
            @DefaultValue("embedded") RegistryMode mode,
            @Nullable URI url,
            @Nullable URI publicUrl,
            @Nullable String eventsSecret) {

        /** Never prints the secret: the beans that hold these settings print them in their own toString. */
        @Override
        public String toString() {
            return "Registry[mode=" + mode + ", url=" + url + ", publicUrl=" + publicUrl + ", eventsSecret="
                    + (eventsSecret == null ? "unset" : "set") + "]";
        }
    }

    /** The URL users give {@code docker login}: Berth's own in embedded mode, the external registry's otherwise. */
    public URI registryPublicUrl() {
        if (registry.mode() == RegistryMode.EXTERNAL && registry.publicUrl() != null) {
            return registry.publicUrl();
        }
        return publicUrl;
    }

    /** {@code host[:port]} of the registry, as it prefixes every repository name users type. */
    public String registryHost() {
        URI url = registryPublicUrl();
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }
}
