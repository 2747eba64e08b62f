package berth.base;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks shared by hash: work on one key (an upload session, a repository) runs one
 * at a time, while the memory stays the same however many keys there are. Two keys may share a
 * stripe and then wait for each other, which is harmless for short work.
 */
public final class StripedLocks {

    /** Work that yields a value and may fail. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Work that yields nothing and may fail. */
    @FunctionalInterface
    public interface Step<E extends Exception> {
        void run() throws E;
    }

    private final ReentrantLock[] stripes;

    public StripedLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    /** Runs {@code work} holding the lock of {@code key}'s stripe. */
    public <T, E extends Exception> T inside(Object key, Work<T, E> work) throws E {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code step} holding the lock of {@code key}'s stripe. */
    public <E extends Exception> void inside(Object key, Step<E> step) throws E {
        inside(key, () -> {
            step.run();
            return null;
        });
    }
}
