package berth.catalog.sync;

import berth.catalog.CatalogSettings;
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
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The database lease that lets one Berth instance at a time run a full sync when several share a
 * database: a row of {@code work_lease} naming the holder and until when it holds. The holder
 * renews it while it syncs and deletes it when done; a lease past its expiry is free, so an
 * instance killed mid-sync blocks the others only until then.
 *
 * <p>A row rather than PostgreSQL's advisory locks so that H2 and PostgreSQL share one code path,
 * and so the lock does not pin a pooled connection for a sync that may run for minutes. Taking it is
 * one conditional UPDATE (PostgreSQL re-checks the WHERE after waiting for a concurrent writer, so
 * two instances cannot both match), or an INSERT the primary key lets only one instance win.
 * Expiry is judged by the clocks of the instances, so keep them in sync (NTP): a skew shorter
 * than the lease does no harm.
 */
@Component
public class FullSyncLease {

    static final String NAME = "catalog-full-sync";
    /** Shorter leases would need renewals faster than a busy database answers. */
    private static final Duration SHORTEST = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration duration;
    private final String holder;

    @Autowired
    FullSyncLease(JdbcTemplate jdbc, Clock clock, CatalogSettings settings) {
        this(jdbc, clock, settings.syncLease(), thisInstance());
    }

    FullSyncLease(JdbcTemplate jdbc, Clock clock, Duration duration, String holder) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.duration = duration.compareTo(SHORTEST) < 0 ? SHORTEST : duration;
        this.holder = holder;
    }

    /** Who holds the lease, and until when unless renewed. */
    record Holder(String name, Instant until) {
    }

    /** This instance's name in the lease: host, process id and a random part, so a restarted process is a new holder. */
    String holder() {
        return holder;
    }

    /** How often a holder renews: three renewals fit in one lease, so one slow or lost renewal does not lose it. */
    Duration renewalInterval() {
        return duration.dividedBy(3);
    }

    /** Takes the lease when it is free or expired (or this instance holds it already); false when another instance holds it. */
    boolean tryAcquire() {
        Instant now = clock.instant();
        int taken = jdbc.update("UPDATE work_lease SET holder = ?, acquired_at = ?, expires_at = ? "
                        + "WHERE name = ? AND (holder = ? OR expires_at <= ?)",
                holder, at(now), at(now.plus(duration)), NAME, holder, at(now));
        if (taken == 1) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO work_lease (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                    NAME, holder, at(now), at(now.plus(duration)));
            return true;
        } catch (DataIntegrityViolationException heldElsewhere) {
            // The row exists and the UPDATE did not match it: another instance holds an unexpired lease.
            return false;
        }
    }

    /** Pushes the expiry one lease further; false when the lease is no longer this instance's (it expired and another took it). */
    boolean renew() {
        return jdbc.update("UPDATE work_lease SET expires_at = ? WHERE name = ? AND holder = ?",
                at(clock.instant().plus(duration)), NAME, holder) == 1;
    }

    /** Gives the lease up at once; a lease another instance has taken meanwhile stays theirs. */
    void release() {
        jdbc.update("DELETE FROM work_lease WHERE name = ? AND holder = ?", NAME, holder);
    }

    /** The unexpired lease, if any instance holds one. */
    Optional<Holder> current() {
        List<Holder> found = jdbc.query("SELECT holder, expires_at FROM work_lease WHERE name = ? AND expires_at > ?",
                (rs, row) -> new Holder(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()),
                NAME, at(clock.instant()));
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
