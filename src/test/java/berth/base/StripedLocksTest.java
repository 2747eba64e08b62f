package berth.base;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripedLocksTest {

    private final StripedLocks locks = new StripedLocks(16);

    @Test
    void work_on_one_key_runs_one_at_a_time() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 200; i++) {
                threads.submit(() -> locks.inside("team/app", () -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                }));
            }
        }
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void another_stripe_is_not_held_up() throws Exception {
        Object first = 0;
        Object other = 1; // Integer hash codes 0 and 1 fall in different stripes
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> holder = threads.submit(() -> {
                locks.inside(first, () -> {
                    held.countDown();
                    release.await();
                });
                return null;
            });
            held.await();
            Future<String> beside = threads.submit(() -> locks.inside(other, () -> "done"));
            assertThat(beside.get(5, TimeUnit.SECONDS)).isEqualTo("done");
            release.countDown();
            holder.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_failure_passes_through_and_frees_the_lock() throws Exception {
        assertThatThrownBy(() -> locks.inside("k", () -> {
            throw new IOException("storage down");
        })).isInstanceOf(IOException.class).hasMessage("storage down");

        assertThat(locks.inside("k", () -> 42)).isEqualTo(42);
    }
}
