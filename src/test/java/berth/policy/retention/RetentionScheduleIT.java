package berth.policy.retention;

import berth.auth.ProjectAccess;
import berth.auth.Projects;
import berth.testing.InProcessBerth;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention runs nobody asks for: the project's cron starts runs by itself (trigger SCHEDULE, started
 * by the system) and stops when the schedule is removed; and a run left RUNNING by an instance that
 * died (its project's lease expired) is marked FAILED by the periodic sweep, not only by the project's
 * next run, while a run whose lease is alive is left alone.
 */
@InProcessBerth(data = "berth-retention-schedule")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionScheduleIT {

    private static final String SCHEDULED = "cron";
    private static final String DEAD = "dead";
    private static final String ALIVE = "alive";

    @Autowired
    Retention retention;
    @Autowired
    RetentionRuns runs;
    @Autowired
    Projects projects;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    void projects() {
        for (String project : new String[] {SCHEDULED, DEAD, ALIVE}) {
            projects.create(ADMIN_EMAIL, project);
        }
    }

    @Test
    void a_cron_schedule_starts_runs_by_itself_and_removing_it_stops_them() throws InterruptedException {
        retention.setPolicy(ADMIN_EMAIL, SCHEDULED, List.of(), "keep", "*/2 * * * * *");

        Instant deadline = Instant.now().plusSeconds(8);
        while (retention.runs(ADMIN_EMAIL, SCHEDULED).isEmpty()) {
            assertThat(Instant.now()).as("no scheduled run within 8 seconds of a schedule every 2 seconds").isBefore(deadline);
            Thread.sleep(100);
        }
        RetentionRun first = retention.runs(ADMIN_EMAIL, SCHEDULED).getLast();
        assertThat(first.trigger()).isEqualTo(RetentionRun.Trigger.SCHEDULE);
        assertThat(first.startedBy()).isEqualTo(ProjectAccess.SYSTEM);
        assertThat(first.dryRun()).isFalse();

        retention.setPolicy(ADMIN_EMAIL, SCHEDULED, List.of(), "keep", null);
        // A run the schedule started just before the change may still be recording itself.
        Thread.sleep(1_000);
        int before = retention.runs(ADMIN_EMAIL, SCHEDULED).size();
        Thread.sleep(5_000);
        assertThat(retention.runs(ADMIN_EMAIL, SCHEDULED)).as("no run in 5 seconds once the schedule is gone").hasSize(before);
        assertThat(retention.runs(ADMIN_EMAIL, SCHEDULED)).allSatisfy(run -> assertThat(run.state()).isNotEqualTo(RetentionRun.State.RUNNING));
    }

    @Test
    void a_run_whose_instance_died_is_marked_failed_by_the_sweep_and_a_live_one_is_not() {
        Instant now = Instant.now();
        long dead = runs.start(DEAD, false, RetentionRun.Trigger.REQUEST, ADMIN_EMAIL, now.minusSeconds(600));
        lease(DEAD, now.minusSeconds(60));
        long alive = runs.start(ALIVE, false, RetentionRun.Trigger.REQUEST, ADMIN_EMAIL, now.minusSeconds(5));
        lease(ALIVE, now.plus(Duration.ofMinutes(10)));

        retention.failAbandonedRuns();

        RetentionRun failed = retention.run(ADMIN_EMAIL, DEAD, dead);
        assertThat(failed.state()).isEqualTo(RetentionRun.State.FAILED);
        assertThat(failed.message()).contains("stopped");
        assertThat(failed.endedAt()).isNotNull();
        assertThat(retention.run(ADMIN_EMAIL, ALIVE, alive).state()).as("its instance still renews the lease").isEqualTo(RetentionRun.State.RUNNING);

        jdbc.update("DELETE FROM work_lease WHERE name = ?", "retention:" + ALIVE);
        retention.failAbandonedRuns();
        assertThat(retention.run(ADMIN_EMAIL, ALIVE, alive).state()).as("a lease released without the run's end recorded")
                .isEqualTo(RetentionRun.State.FAILED);
    }

    /** The lease row an instance running the project's retention holds, held until {@code expires}. */
    private void lease(String project, Instant expires) {
        jdbc.update("INSERT INTO work_lease (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)", "retention:" + project,
                "another-instance", OffsetDateTime.ofInstant(expires.minusSeconds(120), ZoneOffset.UTC), OffsetDateTime.ofInstant(expires,
                        ZoneOffset.UTC));
    }
}
