package berth.registry.content;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much the embedded registry keeps in memory ({@code BERTH_REGISTRY_CACHE_*}). Both caches
 * only save work: a miss reads storage again.
 *
 * @param manifests parsed manifest summaries, by digest (media type, subject, artifact type, size)
 * @param uploadHashes running SHA-256 states of upload sessions, so a chunk is hashed as it streams in
 */
@ConfigurationProperties("berth.registry.cache")
record CacheSettings(@DefaultValue("20000") int manifests, @DefaultValue("4096") int uploadHashes) {
}
