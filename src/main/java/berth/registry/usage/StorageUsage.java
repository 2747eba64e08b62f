package berth.registry.usage;

import berth.base.BerthSettings;
import berth.catalog.CatalogUsage;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each repository links, with sizes: the rows of {@code repository_blob}, written when the
 * engine links content (upload, mount, manifest push) and removed when it unlinks it (blob or
 * manifest delete, garbage collection). Usage is summed from these rows, never by walking storage;
 * garbage collection, which walks storage anyway, adds rows for what was stored before Berth kept
 * them (or by CNCF Distribution). Also publishes {@code berth_project_storage_bytes}, in external mode
 * from the catalog ({@link CatalogUsage}), as the usage API counts there.
 */
@Component
public class StorageUsage {

    private static final Logger log = LoggerFactory.getLogger(StorageUsage.class);
    private static final int INSERT_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final MultiGauge gauge;
    private final TaskScheduler scheduler;
    private final TransactionTemplate transactions;

    private final CatalogUsage catalog;
    private final boolean embedded;
    private final Duration gaugeRefresh;

    StorageUsage(JdbcTemplate jdbc, MeterRegistry meters, TaskScheduler scheduler, TransactionTemplate transactions, CatalogUsage catalog,
                 BerthSettings berth, UsageSettings settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.catalog = catalog;
        this.embedded = berth.registry().mode() == BerthSettings.RegistryMode.EMBEDDED;
        this.gaugeRefresh = settings.gaugeRefresh();
        this.scheduler = scheduler;
        this.gauge = MultiGauge.builder("berth.project.storage")
                .baseUnit("bytes")
                .description("Bytes a project's repositories hold, each blob counted once per project")
                .register(meters);
    }

    /** Bytes of one repository. */
    public record RepositoryUsage(String repository, long usedBytes) {
    }

    /** Records that the repository links content of {@code size} bytes. */
    public void linked(RepositoryName name, Digest digest, long size) {
        try {
            if (jdbc.update("UPDATE repository_blob SET size = ? WHERE repository = ? AND digest = ?", size, name.value(), digest.toString()) == 0) {
                jdbc.update("INSERT INTO repository_blob (repository, digest, project, size) VALUES (?, ?, ?, ?)",
                        name.value(), digest.toString(), name.project(), size);
            }
        } catch (DataIntegrityViolationException concurrent) {
            // another request linked the same content into the same repository a moment earlier: one row is the point
        }
    }

    /** Records that the repository no longer links the content. */
    public void unlinked(RepositoryName name, Digest digest) {
        jdbc.update("DELETE FROM repository_blob WHERE repository = ? AND digest = ?", name.value(), digest.toString());
    }

    /** Records that repositories no longer link content: rows of {@code {repository, digest}}. */
    public void unlinked(List<Object[]> repositoryAndDigest) {
        if (!repositoryAndDigest.isEmpty()) {
            // In a transaction: outside one, each row of the batch is a commit of its own, written to disk.
            transactions.executeWithoutResult(status -> jdbc.batchUpdate("DELETE FROM repository_blob WHERE repository = ? AND digest = ?",
                    repositoryAndDigest));
        }
    }

    /**
     * Adds the rows missing for content repositories link in storage ({@code present}: per
     * repository, digest to size), e.g. stored before usage was kept or by CNCF Distribution.
     * Never removes rows: a push may have linked content since {@code present} was read.
     */
    public void addMissing(Map<RepositoryName, Map<Digest, Long>> present) {
        Set<String> known = new HashSet<>();
        jdbc.query("SELECT repository, digest FROM repository_blob", rs -> {
            known.add(rs.getString(1) + " " + rs.getString(2));
        });
        List<Object[]> missing = new ArrayList<>();
        present.forEach((name, contents) -> contents.forEach((digest, size) -> {
            if (!known.contains(name.value() + " " + digest)) {
                missing.add(new Object[] {name.value(), digest.toString(), name.project(), size});
            }
        }));
        for (int from = 0; from < missing.size(); from += INSERT_BATCH) {
            List<Object[]> batch = missing.subList(from, Math.min(missing.size(), from + INSERT_BATCH));
            try {
                transactions.executeWithoutResult(status -> jdbc.batchUpdate(
                        "INSERT INTO repository_blob (repository, digest, project, size) VALUES (?, ?, ?, ?)", batch));
            } catch (DataIntegrityViolationException concurrent) {
                for (Object[] row : batch) {
                    linked(new RepositoryName((String) row[0]), Digest.parse((String) row[1]), (Long) row[3]);
                }
            }
        }
    }

    /** Bytes of the project: each digest once, however many of its repositories link it. */
    public long projectBytes(String project) {
        Long sum = jdbc.queryForObject("SELECT COALESCE(SUM(size), 0) FROM (SELECT DISTINCT digest, size FROM repository_blob WHERE project = ?) d",
                Long.class, project);
        return sum == null ? 0 : sum;
    }

    /** Whether any repository of the project links the digest (so storing it again there costs nothing). */
    public boolean projectHolds(String project, Digest digest) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM repository_blob WHERE project = ? AND digest = ?", Integer.class,
                project, digest.toString());
        return count != null && count > 0;
    }

    /** The project's repositories with their bytes, largest first. */
    public List<RepositoryUsage> repositories(String project) {
        return jdbc.query("SELECT repository, SUM(size) FROM repository_blob WHERE project = ? GROUP BY repository ORDER BY 2 DESC, 1",
                (rs, row) -> new RepositoryUsage(rs.getString(1), rs.getLong(2)), project);
    }

    @EventListener(ApplicationReadyEvent.class)
    void publishGauge() {
        scheduler.scheduleWithFixedDelay(this::refreshGauge, gaugeRefresh);
    }

    /** Sets {@code berth_project_storage_bytes} from the rows (external mode: from the catalog) now. */
    public void refreshGauge() {
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            if (!embedded) {
                catalog.bytesPerProject().forEach((project, bytes) -> rows.add(MultiGauge.Row.of(Tags.of("project", project), bytes)));
                gauge.register(rows, true);
                return;
            }
            jdbc.query("SELECT project, SUM(size) FROM (SELECT DISTINCT project, digest, size FROM repository_blob) d GROUP BY project",
                    rs -> {
                        rows.add(MultiGauge.Row.of(Tags.of("project", rs.getString(1)), rs.getLong(2)));
                    });
            gauge.register(rows, true);
        } catch (RuntimeException e) {
            log.warn("Could not refresh berth_project_storage_bytes: {}", e.getMessage());
        }
    }
}
