package berth.base;

import berth.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-sync lease on H2 with Berth's own migrations: two instances' leases on one database, and
 * a clock the test moves, so expiry and renewal are tested without waiting a minute.
 */
class WorkLeaseTest {

    private static final String NAME = "catalog-full-sync";

    private static final Duration LEASE = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private JdbcTemplate jdbc;
    private WorkLease first;
    private WorkLease second;

    @BeforeEach
    void database() {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "berth", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        first = new WorkLease(jdbc, clock, NAME, LEASE, "first/1/a");
        second = new WorkLease(jdbc, clock, NAME, LEASE, "second/2/b");
    }

    @Test
    void while_one_instance_holds_the_lease_the_other_does_not_get_it_and_learns_who_does() {
        assertThat(first.tryAcquire()).isTrue();

        clock.advance(LEASE.minusSeconds(1));
        assertThat(second.tryAcquire()).isFalse();
        assertThat(second.current()).hasValueSatisfying(holder -> {
            assertThat(holder.name()).isEqualTo("first/1/a");
            assertThat(holder.until()).isEqualTo(Instant.parse("2026-11-27T10:01:00Z"));
        });
        assertThat(jdbc.queryForObject("SELECT holder FROM work_lease WHERE name = ?", String.class, NAME))
                .isEqualTo("first/1/a");
    }

    @Test
    void a_holder_that_stops_renewing_loses_the_lease_when_it_expires_and_cannot_renew_it_afterwards() {
        assertThat(first.tryAcquire()).isTrue();

        clock.advance(LEASE);
        assertThat(second.current()).as("expired at exactly its expiry").isEmpty();
        assertThat(second.tryAcquire()).isTrue();

        assertThat(first.renew()).as("the crashed holder's late renewal").isFalse();
        assertThat(first.tryAcquire()).isFalse();
        first.release();
        assertThat(second.current()).map(WorkLease.Holder::name).as("a late release leaves the new holder's lease").contains("second/2/b");
    }

    @Test
    void renewing_keeps_the_lease_past_its_first_expiry() {
        assertThat(first.tryAcquire()).isTrue();

        for (int i = 0; i < 5; i++) {
            clock.advance(first.renewalInterval());
            assertThat(first.renew()).isTrue();
            assertThat(second.tryAcquire()).isFalse();
        }
        assertThat(first.renewalInterval()).isEqualTo(Duration.ofSeconds(20));

        clock.advance(LEASE);
        assertThat(second.tryAcquire()).as("a full lease after the last renewal").isTrue();
    }

    @Test
    void a_released_lease_is_free_at_once_and_the_table_keeps_one_row_per_lease() {
        assertThat(first.tryAcquire()).isTrue();
        first.release();

        assertThat(second.current()).isEmpty();
        assertThat(second.tryAcquire()).isTrue();
        second.release();
        assertThat(first.tryAcquire()).isTrue();
        clock.advance(LEASE.multipliedBy(2));
        assertThat(second.tryAcquire()).isTrue();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM work_lease", Integer.class)).isEqualTo(1);
    }

    @Test
    void a_lease_shorter_than_a_second_is_a_second() {
        WorkLease tiny = new WorkLease(jdbc, clock, NAME, Duration.ZERO, "tiny/3/c");
        assertThat(tiny.tryAcquire()).isTrue();
        assertThat(second.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(second.tryAcquire()).isTrue();
    }
}
