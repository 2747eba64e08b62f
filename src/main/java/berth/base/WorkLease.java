package berth.base;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * A named database lease that lets one Berth instance at a time do a piece of work when several
 * share a database (garbage collection, a full catalog sync): the row of {@code work_lease} with
 * that name says who holds it and until when. The holder renews it while it works and deletes it
 * when done; a lease past its expiry is free, so an instance killed mid-work blocks the others
 * only until then.
 *
 * <p>A row rather than PostgreSQL's advisory locks so that H2 and PostgreSQL share one code path
 * and a long run does not pin a pooled connection. Taking it is one conditional UPDATE (PostgreSQL
 * re-checks the WHERE after waiting for a concurrent writer, so two instances cannot both match),
 * or an INSERT the primary key lets only one instance win. Expiry is judged by the instances'
 * clocks, so keep them in sync (NTP): a skew shorter than the lease does no harm.
 */
public final class WorkLease {

    private static final Logger log = LoggerFactory.getLogger(WorkLease.class);

    /** Shorter leases would need renewals faster than a busy database answers. */
    private static final Duration SHORTEST = Duration.ofSeconds(1);
    private static final String HOLDER = thisInstance();

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String name;
    private final Duration duration;
    private final String holder;

    /** The lease {@code name}, held by this process (one holder name per process). */
    public WorkLease(JdbcTemplate jdbc, Clock clock, String name, Duration duration) {
        this(jdbc, clock, name, duration, HOLDER);
    }

    /** A lease held under an explicit holder name: tests play two instances in one JVM with it. */
    public WorkLease(JdbcTemplate jdbc, Clock clock, String name, Duration duration, String holder) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.name = name;
        this.duration = duration.compareTo(SHORTEST) < 0 ? SHORTEST : duration;
        this.holder = holder;
    }

    /** Who holds a lease, and until when unless renewed. */
    public record Holder(String name, Instant until) {
    }

    public String name() {
        return name;
    }

    /** This instance's name in the lease: host, process id and a random part, so a restarted process is a new holder. */
    public String holder() {
        return holder;
    }

    /** How often a holder renews: three renewals fit in one lease, so one slow or lost renewal does not lose it. */
    public Duration renewalInterval() {
        return duration.dividedBy(3);
    }

    /** Takes the lease when it is free or expired (or this instance holds it already); false when another instance holds it. */
    public boolean tryAcquire() {
        Instant now = clock.instant();
        int taken = jdbc.update("UPDATE work_lease SET holder = ?, acquired_at = ?, expires_at = ? "
                        + "WHERE name = ? AND (holder = ? OR expires_at <= ?)",
                holder, at(now), at(now.plus(duration)), name, holder, at(now));
        if (taken == 1) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO work_lease (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                    name, holder, at(now), at(now.plus(duration)));
            return true;
        } catch (DataIntegrityViolationException heldElsewhere) {
            // The row exists and the UPDATE did not match it: another instance holds an unexpired lease.
            return false;
        }
    }

    /** Pushes the expiry one lease further; false when the lease is no longer this instance's (it expired and another took it). */
    public boolean renew() {
        return jdbc.update("UPDATE work_lease SET expires_at = ? WHERE name = ? AND holder = ?",
                at(clock.instant().plus(duration)), name, holder) == 1;
    }

    /**
     * Takes the lease and keeps it renewed ({@link #keepRenewed}); empty when another instance holds
     * it. The caller ends the returned renewal when its work is done, whatever happened, and that
     * gives the lease back: there is no other path to release it.
     */
    public Optional<Renewal> acquire(TaskScheduler scheduler, String what, Runnable lost) {
        if (!tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(keepRenewed(scheduler, what, lost));
        } catch (RuntimeException e) {
            releaseQuietly(what);
            throw e;
        }
    }

    /**
     * Renews this (held) lease every {@link #renewalInterval()} on {@code scheduler} until the
     * returned renewal ends; runs {@code lost} when a renewal finds that another instance took it
     * (this one stalled past the expiry). {@code what} names the work in log lines.
     */
    public Renewal keepRenewed(TaskScheduler scheduler, String what, Runnable lost) {
        Duration every = renewalInterval();
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(() -> {
            try {
                if (!renew()) {
                    lost.run();
                }
            } catch (RuntimeException e) {
                log.warn("Could not renew the {} lease: {}", what, e.getMessage());
            }
        }, scheduler.getClock().instant().plus(every), every);
        return new Renewal(task, what);
    }

    /** A lease being kept renewed; {@link #end()} stops that and gives the lease back. */
    public final class Renewal {
        private final ScheduledFuture<?> task;
        private final String what;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Renewal(ScheduledFuture<?> task, String what) {
            this.task = task;
            this.what = what;
        }

        /**
         * Stops renewing and releases; an unreachable database lets the lease expire by itself
         * instead. Ending twice releases once.
         */
        public void end() {
            if (ended.compareAndSet(false, true)) {
                task.cancel(false);
                releaseQuietly(what);
            }
        }
    }

    /** {@link #release()}, logging instead of failing: the lease expires by itself anyway. */
    public void releaseQuietly(String what) {
        try {
            release();
        } catch (RuntimeException e) {
            log.warn("Could not release the {} lease; it expires by itself: {}", what, e.getMessage());
        }
    }

    /** Gives the lease up at once; a lease another instance has taken meanwhile stays theirs. */
    public void release() {
        jdbc.update("DELETE FROM work_lease WHERE name = ? AND holder = ?", name, holder);
    }

    /** The unexpired lease, if any instance holds one. */
    public Optional<Holder> current() {
        List<Holder> found = jdbc.query("SELECT holder, expires_at FROM work_lease WHERE name = ? AND expires_at > ?",
                (rs, row) -> new Holder(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()),
                name, at(clock.instant()));
        return found.stream().findFirst();
    }

    /** UTC offsets both drivers bind to TIMESTAMP WITH TIME ZONE unambiguously, whatever the JVM's zone. */
    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String thisInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String name = host + "/" + ProcessHandle.current().pid() + "/"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return name.length() <= 255 ? name : name.substring(name.length() - 255);
    }
}
