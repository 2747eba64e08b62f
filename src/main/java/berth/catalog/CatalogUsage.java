package berth.catalog;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Storage usage as far as the catalog knows it: the bytes of what a project's tags reach - each
 * tagged manifest, the children of a tagged index, their configs and layers - each blob counted
 * once per project, and once per repository for a repository's figure. What external mode has
 * instead of the embedded engine's own count: untagged manifests and blobs no tag reaches are not
 * in the catalog, so they are not counted, though CNCF Distribution keeps them until its collector
 * runs. Summed by the database from the catalog's rows; no registry call.
 */
@Service
public record CatalogUsage(JdbcTemplate jdbc, ProjectAccess access) {

    /**
     * Rows of (repository, digest, size) for the project's tagged content. A config's size is not a
     * column; it is what remains of the image's total after the manifest and its layers.
     */
    private static final String BLOBS = """
            WITH tagged AS (
                SELECT DISTINCT r.name AS repository, t.digest AS digest
                FROM catalog_tag t JOIN catalog_repository r ON r.id = t.repository_id
                WHERE r.project = ?),
            manifests AS (
                SELECT repository, digest FROM tagged
                UNION SELECT tg.repository, c.digest FROM tagged tg JOIN catalog_manifest_child c ON c.manifest_digest = tg.digest)
            SELECT mf.repository, m.digest, m.size FROM manifests mf JOIN catalog_manifest m ON m.digest = mf.digest
            UNION SELECT tg.repository, c.digest, c.size FROM tagged tg JOIN catalog_manifest_child c ON c.manifest_digest = tg.digest
            UNION SELECT mf.repository, m.config_digest, m.total_size - m.size
                    - COALESCE((SELECT SUM(l.size) FROM catalog_manifest_layer l WHERE l.manifest_digest = m.digest), 0)
                FROM manifests mf JOIN catalog_manifest m ON m.digest = mf.digest
                WHERE m.config_digest IS NOT NULL
            UNION SELECT mf.repository, l.digest, l.size FROM manifests mf JOIN catalog_manifest_layer l ON l.manifest_digest = mf.digest
            """;

    /** A project's bytes (each blob once) and each repository's (each blob once in it). */
    public record Usage(long projectBytes, Map<String, Long> repositoryBytes) {
    }

    /** Every project's bytes as the catalog knows them: for the storage gauge, which the metrics endpoint's own access guards. */
    public Map<String, Long> bytesPerProject() {
        Map<String, Long> bytes = new java.util.TreeMap<>();
        for (String project : jdbc.queryForList("SELECT DISTINCT project FROM catalog_repository", String.class)) {
            bytes.put(project, usage(ProjectAccess.SYSTEM, project).projectBytes());
        }
        return bytes;
    }

    /** The project's usage as the catalog knows it; for those who may browse the project. */
    public Usage usage(String me, String project) {
        access.require(me, project, Action.BROWSE);
        Map<String, Long> blobs = new HashMap<>();
        Map<String, Map<String, Long>> byRepository = new LinkedHashMap<>();
        jdbc.query(BLOBS, rs -> {
            String digest = rs.getString(2);
            long size = Math.max(0, rs.getLong(3));
            blobs.merge(digest, size, Math::max);
            byRepository.computeIfAbsent(rs.getString(1), r -> new HashMap<>()).merge(digest, size, Math::max);
        }, project);
        Map<String, Long> repositories = new LinkedHashMap<>();
        byRepository.forEach((repository, contents) -> repositories.put(repository, contents.values().stream().mapToLong(Long::longValue).sum()));
        return new Usage(blobs.values().stream().mapToLong(Long::longValue).sum(), repositories);
    }
}
