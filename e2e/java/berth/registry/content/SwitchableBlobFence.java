package berth.registry.content;

import berth.oci.Digest;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The write barrier with a switch, for {@code PushBarrierBenchmark} only: switched off, a push's
 * storage work runs without the per-digest locks and stamps, so the benchmark measures what the
 * barrier costs a push in one Berth, alternating on and off. Never part of the product.
 */
public class SwitchableBlobFence extends BlobFence {

    private volatile boolean off;

    public SwitchableBlobFence(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        super(jdbc, transactionManager, clock);
    }

    public void switchOff(boolean off) {
        this.off = off;
    }

    @Override
    public <T> T guarded(Collection<Digest> digests, StorageWork<T> work) throws IOException {
        return off ? work.run() : super.guarded(digests, work);
    }

    @Override
    public void touch(Digest digest) {
        if (!off) {
            super.touch(digest);
        }
    }
}
