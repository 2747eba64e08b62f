package berth.registry.usage;

import berth.auth.ProjectAccess;
import berth.auth.Projects;
import berth.base.BerthSettings;
import berth.base.ForbiddenException;
import berth.base.InvalidRequestException;
import berth.base.RequestOrigin;
import berth.catalog.CatalogUsage;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Project storage quotas and what the console and API show of usage. A system administrator sets
 * a project's quota; without one the default setting applies (unset: unlimited). The engine asks
 * {@link #requireRoom} before it stores a blob or manifest the project does not hold yet, so a
 * push that would exceed the quota is refused with {@code DENIED} and nothing is stored. Pushes
 * running at the same moment are checked against the same usage, so together they may overshoot
 * by what they add; the next push is refused.
 *
 * <p>In external mode the embedded engine stores nothing, so usage comes from the catalog
 * ({@link CatalogUsage}: what the tags reach, as synced from CNCF Distribution), and a quota, which
 * only the embedded engine enforces, is shown but not enforced.
 */
@Service
public class Quotas {

    private static final Duration EXCEEDED_AT_MOST_EVERY = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final StorageUsage usage;
    private final QuotaSettings settings;
    private final ProjectAccess access;
    private final Projects projects;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** When each project's last QUOTA_EXCEEDED went out: a client retrying a refused push makes one a minute, not one a try. */
    private final Map<String, Instant> lastExceeded = new ConcurrentHashMap<>();
    private final CatalogUsage catalog;
    private final boolean embedded;

    Quotas(JdbcTemplate jdbc, StorageUsage usage, QuotaSettings settings, ProjectAccess access, Projects projects,
           ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock, CatalogUsage catalog, BerthSettings berth) {
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.jdbc = jdbc;
        this.usage = usage;
        this.settings = settings;
        this.access = access;
        this.projects = projects;
        this.catalog = catalog;
        this.embedded = berth.registry().mode() == BerthSettings.RegistryMode.EMBEDDED;
    }

    /** Where a usage figure was counted. */
    public enum Source {
        /** What the embedded engine links, kept current on every push, delete and collection. */
        STORAGE,
        /** External mode: what the catalog's tags reach; untagged content CNCF Distribution still keeps is not in it. */
        CATALOG
    }

    /**
     * A project's usage against its quota ({@code quotaBytes} null: unlimited), its repositories'
     * usage, and where it was counted.
     */
    public record Usage(long usedBytes, @Nullable Long quotaBytes, List<StorageUsage.RepositoryUsage> repositories, Source countedFrom) {
    }

    /** The project's usage; members and system administrators may read it. */
    public Usage usage(String caller, String project) {
        projects.get(caller, project); // NotFound for those who may not see the project
        return current(caller, project);
    }

    private Usage current(String caller, String project) {
        if (embedded) {
            return new Usage(usage.projectBytes(project), quotaOf(project), usage.repositories(project), Source.STORAGE);
        }
        CatalogUsage.Usage known = catalog.usage(caller, project);
        List<StorageUsage.RepositoryUsage> repositories = known.repositoryBytes().entrySet().stream()
                .map(e -> new StorageUsage.RepositoryUsage(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparingLong(StorageUsage.RepositoryUsage::usedBytes).reversed()
                        .thenComparing(StorageUsage.RepositoryUsage::repository))
                .toList();
        return new Usage(known.projectBytes(), quotaOf(project), repositories, Source.CATALOG);
    }

    /** Sets the project's quota ({@code null}: unlimited); system administrators only. Audited as {@link QuotaChanged}. */
    @Transactional
    public Usage setQuota(String caller, String project, @Nullable Long quotaBytes) {
        if (!access.isSystemAdmin(caller)) {
            throw new ForbiddenException("Only system administrators may set storage quotas.");
        }
        projects.get(caller, project);
        if (quotaBytes != null && quotaBytes < 0) {
            throw new InvalidRequestException("A quota is a number of bytes, 0 or more; null means unlimited.");
        }
        List<Long> before = jdbc.query("SELECT quota_bytes FROM project_quota WHERE project = ?",
                (rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1), project);
        if (jdbc.update("UPDATE project_quota SET quota_bytes = ? WHERE project = ?", quotaBytes, project) == 0) {
            jdbc.update("INSERT INTO project_quota (project, quota_bytes) VALUES (?, ?)", project, quotaBytes);
        }
        RequestOrigin origin = RequestOrigin.current();
        events.publishEvent(new QuotaChanged(clock.instant(), caller, origin.address(), origin.via(), project,
                before.isEmpty() ? null : before.getFirst(), quotaBytes));
        return current(caller, project);
    }

    /** The project's quota in bytes; null: unlimited. */
    public @Nullable Long quotaOf(String project) {
        List<Long> set = jdbc.query("SELECT quota_bytes FROM project_quota WHERE project = ?",
                (rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1), project);
        if (!set.isEmpty()) {
            return set.getFirst();
        }
        return settings.defaultBytes() == null ? null : settings.defaultBytes().toBytes();
    }

    /**
     * Refuses with {@code DENIED} to store {@code size} bytes under {@code digest} in the repository
     * when the project does not hold that digest yet and they would take it past its quota.
     */
    public void requireRoom(RepositoryName name, Digest digest, long size) {
        String project = name.project();
        Long quota = quotaOf(project);
        if (quota == null || usage.projectHolds(project, digest)) {
            return;
        }
        long used = usage.projectBytes(project);
        if (used + size > quota) {
            exceeded(name, used, quota, size);
            throw new RegistryException(ErrorCode.DENIED, "Project " + project + " has used " + bytes(used) + " of its "
                    + bytes(quota) + " storage quota; this needs " + bytes(size) + " more. Delete tags and run garbage collection, "
                    + "or ask a system administrator to raise the quota.",
                    Map.of("project", project, "usedBytes", Long.toString(used), "quotaBytes", Long.toString(quota)));
        }
    }

    private void exceeded(RepositoryName name, long used, long quota, long size) {
        Instant now = clock.instant();
        Instant last = lastExceeded.get(name.project());
        if (last != null && last.plus(EXCEEDED_AT_MOST_EVERY).isAfter(now)) {
            return;
        }
        lastExceeded.put(name.project(), now);
        // In a transaction of its own: the event publication registry stores it for webhooks.
        transactions.executeWithoutResult(status -> events.publishEvent(new QuotaExceeded(UUID.randomUUID().toString(), now,
                name.project(), name.value(), used, quota, size)));
    }

    /** Bytes as people read them: 10 MiB (10485760 bytes). */
    static String bytes(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        String unit = "bytes";
        for (String next : units) {
            if (value < 1024) {
                break;
            }
            value /= 1024;
            unit = next;
        }
        String shown = unit.equals("bytes") ? Long.toString(bytes) + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", value, unit);
        return unit.equals("bytes") ? shown : shown + " (" + bytes + " bytes)";
    }
}
