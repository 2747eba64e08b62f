package berth.registry.storage;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes on their way into storage (Distribution's {@code FileWriter}). Nothing written is
 * guaranteed to be readable before {@link #commit()}; {@link #cancel()} throws it away.
 */
public interface StorageWriter extends WritableByteChannel {

    /** Bytes in the file so far, including what was there before an append. */
    long size();

    /** Makes everything written readable. */
    void commit() throws IOException;

    /** Discards the file. */
    void cancel() throws IOException;
}
