package berth.registry.usage;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Storage usage ({@code BERTH_REGISTRY_USAGE_*}).
 *
 * @param gaugeRefresh how often {@code berth_project_storage_bytes} is read again from the usage rows
 *                     (embedded engine) or from the catalog (external mode)
 */
@ConfigurationProperties("berth.registry.usage")
record UsageSettings(@DefaultValue("1m") Duration gaugeRefresh) {
}
