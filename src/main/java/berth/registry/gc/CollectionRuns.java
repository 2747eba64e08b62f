package berth.registry.gc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The record of garbage collection runs, the rows of {@code gc_run}. */
@Component
record CollectionRuns(JdbcTemplate jdbc, TransactionTemplate transactions, ApplicationEventPublisher events) {

    private static final int MESSAGE_LENGTH = 2000;
    private static final String COLUMNS = "id, state, dry_run, delete_untagged, trigger_source, started_at, finished_at, "
            + "blobs_deleted, manifests_deleted, links_deleted, bytes_freed, errors, message, items";

    /** Starts the record of a run in {@code state} (RUNNING, or SKIPPED when it never ran). */
    long insert(GcRun.State state, boolean dryRun, boolean deleteUntagged, GcRun.Trigger trigger, String holder, Instant startedAt,
                @Nullable String message) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("INSERT INTO gc_run (state, dry_run, delete_untagged, trigger_source, holder, "
                    + "started_at, finished_at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            statement.setString(1, state.name());
            statement.setBoolean(2, dryRun);
            statement.setBoolean(3, deleteUntagged);
            statement.setString(4, trigger.name());
            statement.setString(5, holder);
            statement.setObject(6, at(startedAt));
            statement.setObject(7, state == GcRun.State.RUNNING ? null : at(startedAt));
            statement.setString(8, clip(message));
            return statement;
        }, key);
        return key.getKeyAs(Number.class).longValue();
    }

    /** Records the outcome of a run and, for a real run, publishes {@link GcCompleted} in the same transaction. */
    void finish(long id, GcRun.State state, GarbageCollector.Tally tally, Instant finishedAt, @Nullable String message) {
        transactions.executeWithoutResult(status -> {
            record(id, state, tally, finishedAt, message);
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT dry_run FROM gc_run WHERE id = ?", Boolean.class, id))) {
                events.publishEvent(new GcCompleted(id, state.name(), tally.manifests, tally.blobs, tally.links, tally.bytes, tally.errors,
                        message, finishedAt));
            }
        });
    }

    private void record(long id, GcRun.State state, GarbageCollector.Tally tally, Instant finishedAt, @Nullable String message) {
        jdbc.update("UPDATE gc_run SET state = ?, finished_at = ?, blobs_deleted = ?, manifests_deleted = ?, links_deleted = ?, "
                        + "bytes_freed = ?, errors = ?, message = ?, items = ? WHERE id = ?",
                state.name(), at(finishedAt), tally.blobs, tally.manifests, tally.links, tally.bytes, tally.errors, clip(message),
                String.join("\n", tally.items), id);
    }

    /**
     * Marks the runs still RUNNING as FAILED: called by the holder of the lease, so none of them is
     * alive - their instance was killed or lost the lease.
     */
    int failAbandoned(Instant now) {
        return jdbc.update("UPDATE gc_run SET state = 'FAILED', finished_at = ?, message = ? WHERE state = 'RUNNING'", at(now),
                "The instance running it stopped before it finished; the next run did its work.");
    }

    Optional<GcRun> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM gc_run WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    /** The newest runs first. */
    List<GcRun> newest(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM gc_run ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", MAPPER);
    }

    private static final RowMapper<GcRun> MAPPER = (rs, row) -> {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        String items = rs.getString("items");
        return new GcRun(rs.getLong("id"), GcRun.State.valueOf(rs.getString("state")), rs.getBoolean("dry_run"),
                rs.getBoolean("delete_untagged"), GcRun.Trigger.valueOf(rs.getString("trigger_source")),
                rs.getLong("blobs_deleted"), rs.getLong("manifests_deleted"), rs.getLong("links_deleted"), rs.getLong("bytes_freed"),
                rs.getInt("errors"), rs.getString("message"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant(),
                items == null || items.isEmpty() ? List.of() : Arrays.asList(items.split("\n")));
    };

    private static @Nullable String clip(@Nullable String message) {
        return message == null || message.length() <= MESSAGE_LENGTH ? message : message.substring(0, MESSAGE_LENGTH - 1) + "…";
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
