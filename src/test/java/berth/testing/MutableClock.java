package berth.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * A clock tests move forward instead of sleeping: standing still from a given instant, or
 * {@link #ticking()} with the real time plus however far the test moved it (for code that also
 * waits in real time, like a retry loop).
 */
public final class MutableClock extends Clock {

    private volatile @Nullable Instant now;
    private volatile Duration shift = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
    }

    private MutableClock() {
        this.now = null;
    }

    /** The real time, moved forward by {@link #advance}. */
    public static MutableClock ticking() {
        return new MutableClock();
    }

    public void advance(Duration duration) {
        Instant standing = now;
        if (standing != null) {
            now = standing.plus(duration);
        } else {
            shift = shift.plus(duration);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant standing = now;
        return standing != null ? standing : Instant.now().plus(shift);
    }
}
