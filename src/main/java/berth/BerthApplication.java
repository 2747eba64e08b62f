package berth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.scheduling.annotation.EnableScheduling;
import sun.misc.Signal;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@EnableResilientMethods
public class BerthApplication {

    public static void main(String[] args) {
        exitNormallyOnTerm();
        SpringApplication.run(BerthApplication.class, args);
    }

    /**
     * SIGTERM is how {@code docker stop}, Kubernetes and systemd end Berth, a normal stop: the shutdown hooks
     * still stop it gracefully, as on any exit, but the status is 0 instead of the JVM's 143 ("killed by a
     * signal"), which orchestrators and their users read as a failure.
     */
    private static void exitNormallyOnTerm() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException signalsReservedByTheJvm) {
            // -Xrs or a platform without SIGTERM: keep the JVM's own handling
        }
    }
}
