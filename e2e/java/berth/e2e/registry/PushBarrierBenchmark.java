package berth.e2e.registry;

import berth.BerthApplication;
import berth.auth.RegistryTokens;
import berth.oci.Access;
import berth.registry.content.SwitchableBlobFence;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import berth.testing.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the garbage collector's write barrier costs pushes: {@value #PUSHERS} concurrent pushers
 * push small distinct images (a config and a 4 KiB layer, monolithic uploads, then the manifest:
 * three barrier transactions per image) to one Berth, in rounds of {@code benchmark.seconds}
 * (default 8) that alternate barrier on and off ({@code benchmark.rounds} of each, default 3), so
 * the machine's other load falls on both alike. Off is {@link SwitchableBlobFence}, which exists
 * only for this. Prints images/s per mode and their ratio; not part of the test run, see README
 * "Benchmarks".
 */
@SpringBootTest(classes = {BerthApplication.class, PushBarrierBenchmark.Fence.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class PushBarrierBenchmark {

    private static final int PORT = FreePorts.next();
    private static final Path DATA = ScratchDirectories.create("berth-push-barrier").resolve("data");
    private static final int PUSHERS = 8;
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final long SECONDS = Long.getLong("benchmark.seconds", 8);
    private static final List<String> REPOSITORIES = List.of("pushbench/a", "pushbench/b", "pushbench/c", "pushbench/d");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestSettings.of(registry).data(DATA).port(PORT).set("berth.registry.gc.schedule", "-");
    }

    @TestConfiguration
    static class Fence {
        @Bean
        @Primary
        SwitchableBlobFence switchableBlobFence(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
            return new SwitchableBlobFence(jdbc, transactions, clock);
        }
    }

    @Autowired
    RegistryTokens tokens;

    @Autowired
    SwitchableBlobFence fence;

    @Test
    void pushes_with_the_write_barrier_on_and_off() throws Exception {
        new BerthApi(PORT).createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, "pushbench");
        String token = tokens.issue(BerthApi.ADMIN_EMAIL,
                REPOSITORIES.stream().map(r -> Access.repository(r, List.of("pull", "push"))).toList()).token();
        RegistryHttp registry = new RegistryHttp("http://127.0.0.1:" + PORT);
        round(registry, token, false, 3); // warm-up, not counted
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            on.add(round(registry, token, false, SECONDS));
            off.add(round(registry, token, true, SECONDS));
        }
        fence.switchOff(false);
        String report = String.format("""
                        Push throughput, %d concurrent pushers, small distinct images (config + 4 KiB layer + manifest), %d rounds of %d s each
                        write barrier on:   %s images/s (median %.1f)
                        write barrier off:  %s images/s (median %.1f)
                        on / off:           %.2f
                        """, PUSHERS, ROUNDS, SECONDS, figures(on), median(on), figures(off), median(off), median(on) / median(off));
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "push-barrier-benchmark.txt"), report);
        assertThat(median(on)).isPositive();
        assertThat(median(off)).isPositive();
    }

    /** Images pushed per second by the pushers in {@code seconds}, with the barrier switched as asked. */
    private double round(RegistryHttp registry, String token, boolean barrierOff, long seconds) throws Exception {
        fence.switchOff(barrierOff);
        LongAdder pushed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                int pusher = p;
                work.add(threads.submit(() -> {
                    Random random = new Random(System.nanoTime() + pusher);
                    byte[] noise = new byte[2048];
                    for (int n = 0; !stop.get(); n++) {
                        random.nextBytes(noise);
                        registry.pushImage(REPOSITORIES.get((pusher + n) % REPOSITORIES.size()), "p" + pusher + "-" + n + "-" + barrierOff,
                                HexFormat.of().formatHex(noise), token);
                        pushed.increment();
                    }
                    return null;
                }));
            }
            Thread.sleep(seconds * 1000);
            stop.set(true);
            for (Future<?> future : work) {
                future.get();
            }
        }
        return pushed.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String figures(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format("%.1f", v)).toList());
    }
}
