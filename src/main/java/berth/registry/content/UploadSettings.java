package berth.registry.content;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long unfinished upload sessions are kept ({@code BERTH_REGISTRY_UPLOADS_*}).
 *
 * @param purgeAge a session started longer ago than this and never finished is deleted (CNCF Distribution: 168h)
 * @param purgeInterval how often to look; zero turns purging off
 */
@ConfigurationProperties("berth.registry.uploads")
record UploadSettings(@DefaultValue("7d") Duration purgeAge, @DefaultValue("24h") Duration purgeInterval) {
}
