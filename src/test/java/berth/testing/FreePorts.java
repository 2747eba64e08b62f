package berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for the servers a test starts (Berth, Distribution, PostgreSQL, S3Proxy). */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port nobody listens on right now; the server that takes it should start soon after. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
