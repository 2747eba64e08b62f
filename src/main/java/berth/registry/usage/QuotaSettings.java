package berth.registry.usage;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Project storage quotas ({@code BERTH_REGISTRY_QUOTA_*}).
 *
 * @param defaultBytes the quota of a project whose quota no system administrator set (e.g.
 *                     {@code 10GB}); unset: unlimited
 */
@ConfigurationProperties("berth.registry.quota")
record QuotaSettings(@Nullable DataSize defaultBytes) {
}
