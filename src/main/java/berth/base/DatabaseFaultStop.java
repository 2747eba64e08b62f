package berth.base;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops Berth when its H2 database's files fail ({@link H2StorageFaults}): readiness goes to
 * refusing traffic at once, requests that reach the API in the meantime get 503, one sentence says
 * what happened and what to do, and the process exits with status 1 so that a supervisor
 * (systemd, Kubernetes) starts it again - which succeeds once the disk is fixed. Staying up was
 * not an option: H2 cannot recover in-process, and its next statement can spin forever.
 */
@Component
class DatabaseFaultStop implements SmartLifecycle {

    /** How long an orderly shutdown may take before the process is halted: H2's close may hang too. */
    static final Duration HALT_AFTER = Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(DatabaseFaultStop.class);

    private final ConfigurableApplicationContext context;
    private final BerthSettings settings;
    private volatile boolean running;

    DatabaseFaultStop(ConfigurableApplicationContext context, BerthSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void start() {
        H2StorageFaults.onFault(this::stopBerth);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void stopBerth() {
        if (!running) {
            return; // shutting down already: a closed database's complaints are expected
        }
        log.error("Berth stops: its database in {} could not be written ({}). Free disk space or make the files writable "
                + "(check permissions and chattr flags), then start Berth again; every save that was answered as done is kept.",
                settings.dataDir().resolve("db"), H2StorageFaults.fault());
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        }, "database-fault-halt");
        halt.setDaemon(true);
        halt.start();
        // Status 1 whatever the orderly close does: with the database gone, closing may fail in ways that end this
        // thread (an Error included), and the JVM would then exit with 0 once its last other thread ended.
        Thread exit = new Thread(() -> {
            try {
                SpringApplication.exit(context, () -> 1);
            } catch (Throwable closing) {
                log.warn("Closing after the database fault failed too: {}", closing.toString());
            } finally {
                System.exit(1);
            }
        }, "database-fault-stop");
        // Not a daemon, whoever met the fault: a thread inherits daemon-ness from its creator, and a request's
        // virtual thread is always a daemon. As a daemon it could still be closing the context when the last
        // other thread ended, and the JVM then exited with 0 before it reached exit(1).
        exit.setDaemon(false);
        exit.start();
    }
}
