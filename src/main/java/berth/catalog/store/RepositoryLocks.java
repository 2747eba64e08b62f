package berth.catalog.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * One lock per repository (striped): changes to a repository's tags happen one at a time, so the
 * registry's answer read last is the one written last.
 */
@Component
public class RepositoryLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[256];

    RepositoryLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T inside(String repository, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(repository.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    public void inside(String repository, Runnable work) {
        inside(repository, () -> {
            work.run();
            return null;
        });
    }
}
