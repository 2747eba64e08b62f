package berth.e2e.registry;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A request body as a slow client sends it: {@code content} up to {@code end} in chunks, with a
 * pause before each chunk but the first; then, if {@code stall} is given, it holds the connection
 * open until that latch opens, as a client that hung would.
 */
final class PacedBody extends InputStream {

    private final byte[] content;
    private final int end;
    private final int chunkBytes;
    private final Duration pause;
    private final @Nullable CountDownLatch stall;
    private final CountDownLatch firstChunkSent = new CountDownLatch(1);
    private int position;

    PacedBody(byte[] content, int end, int chunkBytes, Duration pause, @Nullable CountDownLatch stall) {
        this.content = content;
        this.end = end;
        this.chunkBytes = chunkBytes;
        this.pause = pause;
        this.stall = stall;
    }

    /** Waits until the first chunk has been handed to the client and the second is asked for. */
    boolean awaitFirstChunk(Duration timeout) throws InterruptedException {
        return firstChunkSent.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        try {
            if (position >= end) {
                if (stall != null) {
                    stall.await();
                }
                return -1;
            }
            if (position > 0 && position % chunkBytes == 0) {
                firstChunkSent.countDown();
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        int chunkEnd = Math.min(end, (position / chunkBytes + 1) * chunkBytes);
        int count = Math.min(length, chunkEnd - position);
        System.arraycopy(content, position, buffer, offset, count);
        position += count;
        return count;
    }
}
