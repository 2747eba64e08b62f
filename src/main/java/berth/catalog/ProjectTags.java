package berth.catalog;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every tag of a project at once, with what a policy judges it by (push time, last pull), and the
 * blobs its manifests hold - for retention, which weighs all of a project's tags against its rules.
 * The console's paged reads are {@link Catalog}'s. Members only, like every catalog read.
 */
@Service
@Transactional(readOnly = true)
public class ProjectTags {

    private final JdbcTemplate jdbc;
    private final ProjectAccess access;

    ProjectTags(JdbcTemplate jdbc, ProjectAccess access) {
        this.jdbc = jdbc;
        this.access = access;
    }

    /** A tag as the catalog knows it; {@code lastPulledAt} null when nobody pulled it since the catalog has known it. */
    public record TagFacts(String repository, String tag, String digest, long size, Instant pushedAt, @Nullable Instant lastPulledAt,
                           long pullCount) {
    }

    /** All tags of the project's repositories, in one read (10,000 tags are a few hundred milliseconds). */
    public List<TagFacts> tags(String me, String project) {
        access.require(me, project, Action.BROWSE);
        return jdbc.query("SELECT r.name, t.name, t.digest, t.size, t.pushed_at, t.last_pulled_at, t.pull_count "
                        + "FROM catalog_tag t JOIN catalog_repository r ON r.id = t.repository_id WHERE r.project = ?",
                (rs, row) -> new TagFacts(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(), instant(rs.getObject(6, OffsetDateTime.class)), rs.getLong(7)),
                project);
    }

    /** The names of the project's repositories, tags or not (one holding only untagged manifests among them). */
    public List<String> repositories(String me, String project) {
        access.require(me, project, Action.BROWSE);
        return jdbc.queryForList("SELECT name FROM catalog_repository WHERE project = ? ORDER BY name", String.class, project);
    }

    /**
     * The blobs each manifest tagged in the project is made of, by the manifest's digest: the
     * manifest itself and its layers, and for an index its platforms' manifests and their layers.
     * Configs are left out: the catalog keeps no config sizes (a config is a few hundred bytes).
     */
    public Map<String, Map<String, Long>> blobs(String me, String project) {
        access.require(me, project, Action.BROWSE);
        Map<String, Map<String, Long>> blobs = new HashMap<>();
        String tagged = "SELECT DISTINCT t.digest FROM catalog_tag t JOIN catalog_repository r ON r.id = t.repository_id WHERE r.project = ?";
        jdbc.query("SELECT m.digest, m.size FROM catalog_manifest m WHERE m.digest IN (" + tagged + ")", rs -> {
            blobs.computeIfAbsent(rs.getString(1), d -> new HashMap<>()).put(rs.getString(1), rs.getLong(2));
        }, project);
        jdbc.query("SELECT l.manifest_digest, l.digest, l.size FROM catalog_manifest_layer l WHERE l.manifest_digest IN (" + tagged + ")",
                rs -> {
                    blobs.computeIfAbsent(rs.getString(1), d -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }, project);
        jdbc.query("SELECT c.manifest_digest, c.digest, c.size, l.digest, l.size FROM catalog_manifest_child c "
                + "LEFT JOIN catalog_manifest_layer l ON l.manifest_digest = c.digest WHERE c.manifest_digest IN (" + tagged + ")", rs -> {
                    Map<String, Long> of = blobs.computeIfAbsent(rs.getString(1), d -> new HashMap<>());
                    of.put(rs.getString(2), rs.getLong(3));
                    if (rs.getString(4) != null) {
                        of.put(rs.getString(4), rs.getLong(5));
                    }
                }, project);
        return blobs;
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
