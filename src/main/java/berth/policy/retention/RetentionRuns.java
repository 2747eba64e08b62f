package berth.policy.retention;

import berth.policy.retention.RetentionRun.Deletion;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record of retention runs: {@code retention_run} and the list each run deletes,
 * {@code retention_deletion}. Every write is a short transaction of its own.
 */
@Component
record RetentionRuns(JdbcTemplate jdbc, TransactionTemplate transactions) {

    private static final int MESSAGE_LENGTH = 2000;
    private static final String COLUMNS = "id, project, state, dry_run, trigger_source, started_by, started_at, ended_at, tags_kept, "
            + "bytes_freeable, errors, message, (SELECT COUNT(*) FROM retention_deletion d WHERE d.run_id = retention_run.id "
            + "AND (retention_run.dry_run OR d.done) AND d.tag IS NOT NULL) AS deleted, (SELECT COUNT(*) FROM retention_deletion d "
            + "WHERE d.run_id = retention_run.id AND (retention_run.dry_run OR d.done) AND d.tag IS NULL) AS manifests_deleted";

    long start(String project, boolean dryRun, RetentionRun.Trigger trigger, String startedBy, Instant at) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("INSERT INTO retention_run (project, state, dry_run, trigger_source, started_by, "
                    + "started_at, tags_kept, bytes_freeable) VALUES (?, 'RUNNING', ?, ?, ?, ?, 0, 0)", new String[] {"id"});
            statement.setString(1, project);
            statement.setBoolean(2, dryRun);
            statement.setString(3, trigger.name());
            statement.setString(4, startedBy);
            statement.setObject(5, at(at));
            return statement;
        }, key);
        return key.getKeyAs(Number.class).longValue();
    }

    /** Writes the run's list (tags, then untagged manifests) and figures, in one short transaction (a plain batch of rows). */
    void plan(long id, RetentionPlan plan, long bytesFreeable) {
        transactions.executeWithoutResult(status -> {
            List<Deletion> deletions = plan.deletions();
            List<Object[]> rows = new java.util.ArrayList<>(deletions.size());
            for (int i = 0; i < deletions.size(); i++) {
                Deletion d = deletions.get(i);
                rows.add(new Object[] {id, i, d.repository(), tag(d), d.digest(), d.size()});
            }
            jdbc.batchUpdate("INSERT INTO retention_deletion (run_id, position, repository, tag, digest, size, done) "
                    + "VALUES (?, ?, ?, ?, ?, ?, FALSE)", rows);
            jdbc.update("UPDATE retention_run SET tags_kept = ?, bytes_freeable = ? WHERE id = ?", plan.kept(), bytesFreeable, id);
        });
    }

    void done(long id, int position) {
        jdbc.update("UPDATE retention_deletion SET done = TRUE WHERE run_id = ? AND position = ?", id, position);
    }

    /** Adds to a real run's list, as done, what it deleted beyond its plan (an untagged manifest idle since the plan was made). */
    void doneBeyondPlan(long id, int position, Deletion deletion) {
        jdbc.update("INSERT INTO retention_deletion (run_id, position, repository, tag, digest, size, done) VALUES (?, ?, ?, ?, ?, ?, TRUE)",
                id, position, deletion.repository(), tag(deletion), deletion.digest(), deletion.size());
    }

    /** The tag column's value, typed: a null (an untagged manifest) with no type is a guess some JDBC drivers get wrong. */
    private static SqlParameterValue tag(Deletion deletion) {
        return new SqlParameterValue(Types.VARCHAR, deletion.tag());
    }

    /**
     * Records the run's end and, in the same transaction, does {@code alsoThen} (publishing the run's
     * {@code RetentionCompleted}, which the event publication registry then keeps durably with it).
     */
    void finish(long id, RetentionRun.State state, List<String> errors, @Nullable String message, Instant at, Runnable alsoThen) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("UPDATE retention_run SET state = ?, ended_at = ?, errors = ?, message = ? WHERE id = ?", state.name(), at(at),
                    errors.isEmpty() ? null : String.join("\n", errors), clip(message), id);
            alsoThen.run();
        });
    }

    /**
     * Marks the project's runs still RUNNING as FAILED: called by the holder of the project's lease,
     * so none of them is alive - the instance running it died or lost the lease.
     */
    int failAbandoned(String project, Instant now) {
        return jdbc.update("UPDATE retention_run SET state = 'FAILED', ended_at = ?, message = ? WHERE project = ? AND state = 'RUNNING'",
                at(now), "Interrupted: the instance running it stopped before it finished. The next run recomputes what is left.", project);
    }

    /** A run recorded as RUNNING: its id and project. */
    record Running(long id, String project) {
    }

    /** Every run recorded as RUNNING, of any project. */
    List<Running> running() {
        return jdbc.query("SELECT id, project FROM retention_run WHERE state = 'RUNNING'", (rs, row) -> new Running(rs.getLong(1),
                rs.getString(2)));
    }

    /**
     * Marks run {@code id} FAILED if it is still RUNNING and nobody holds the lease {@code lease} it ran
     * under (the row expired, or is gone) - the instance running it died - in one conditional UPDATE,
     * so a run that ends or a lease taken meanwhile wins. Whether it did.
     */
    boolean failIfUnleased(long id, String lease, Instant now) {
        return jdbc.update("UPDATE retention_run SET state = 'FAILED', ended_at = ?, message = ? WHERE id = ? AND state = 'RUNNING' "
                        + "AND NOT EXISTS (SELECT 1 FROM work_lease WHERE name = ? AND expires_at > ?)", at(now),
                "Interrupted: the instance running it stopped before it finished (its lease on the project expired). The next run "
                        + "recomputes what is left.", id, lease, at(now)) == 1;
    }

    Optional<RetentionRun> find(String project, long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM retention_run WHERE id = ? AND project = ?", MAPPER, id, project).stream()
                .findFirst()
                .map(run -> run.withDeletions(jdbc.query("SELECT repository, tag, digest, size FROM retention_deletion WHERE run_id = ? "
                                + (run.dryRun() ? "" : "AND done ") + "ORDER BY position",
                        (rs, row) -> new Deletion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), id)));
    }

    /** The project's newest runs first, without their lists. */
    List<RetentionRun> newest(String project, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM retention_run WHERE project = ? ORDER BY id DESC FETCH FIRST " + limit
                + " ROWS ONLY", MAPPER, project);
    }

    private static final RowMapper<RetentionRun> MAPPER = (rs, row) -> {
        OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
        String errors = rs.getString("errors");
        return new RetentionRun(rs.getLong("id"), rs.getString("project"), RetentionRun.State.valueOf(rs.getString("state")),
                rs.getBoolean("dry_run"), RetentionRun.Trigger.valueOf(rs.getString("trigger_source")), rs.getString("started_by"),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(), ended == null ? null : ended.toInstant(),
                rs.getInt("deleted"), rs.getInt("manifests_deleted"), rs.getInt("tags_kept"), rs.getLong("bytes_freeable"),
                errors == null ? List.of() : List.of(errors.split("\n")), rs.getString("message"), List.of());
    };

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable String clip(@Nullable String message) {
        return message == null || message.length() <= MESSAGE_LENGTH ? message : message.substring(0, MESSAGE_LENGTH);
    }
}
