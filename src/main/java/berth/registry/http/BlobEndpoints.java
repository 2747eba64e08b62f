package berth.registry.http;

import berth.oci.Digest;
import berth.oci.RegistryException;
import berth.registry.content.Blobs;
import berth.registry.content.Blobs.Blob;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code GET}, {@code HEAD} and {@code DELETE} of {@code /v2/<name>/blobs/<digest>}. A blob on a
 * local disk goes out by the kernel's {@code sendfile} (Tomcat's sendfile support), so layer
 * bytes never pass through the JVM - except to a client on this machine (see {@link #toSameMachine});
 * a driver that offers a redirect (presigned S3 URLs) sends the client there with a 307; otherwise
 * the blob is streamed in large chunks.
 */
@Component
record BlobEndpoints(Blobs blobs) {

    private static final String SENDFILE_SUPPORTED = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILE = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";
    private static final int BUFFER = 1 << 20;
    private static final int RESPONSE_BUFFER = 1 << 16;
    /** A blob never changes under its digest. */
    private static final String CACHE_CONTROL = "max-age=31536000";

    void get(Exchange exchange) throws IOException {
        Digest digest = Digest.parse(exchange.parameter("digest"));
        if (exchange.isHead()) {
            // Before the lookup: a HEAD that answers 200 is what lets a client skip the upload, so from now on
            // the garbage collector spares the blob for its grace period.
            blobs.touch(digest);
        }
        Blob blob = blobs.find(exchange.name(), digest);
        if (notModified(exchange, digest) || redirected(exchange, blob, digest)) {
            return;
        }
        ByteRange range = rangeOf(exchange, blob);
        describe(exchange.response, digest, range);
        if (exchange.isHead() || range.length() == 0) {
            return;
        }
        exchange.bytesOut += range.length();
        send(exchange, blob, range);
    }

    /** A conditional request for the blob the client has: 304, which repeats what the 200 would say. */
    private static boolean notModified(Exchange exchange, Digest digest) {
        if (!exchange.ifNoneMatchNames(digest)) {
            return false;
        }
        exchange.response.setHeader("Cache-Control", CACHE_CONTROL);
        return true;
    }

    /**
     * An object store configured to serve blobs itself ({@code berth.storage.s3.redirect}): a 307
     * sends the client there. A {@code HEAD} is still answered here.
     */
    private boolean redirected(Exchange exchange, Blob blob, Digest digest) {
        if (exchange.isHead()) {
            return false;
        }
        Optional<java.net.URI> elsewhere = blobs.redirectUrl(blob);
        if (elsewhere.isEmpty()) {
            return false;
        }
        var response = exchange.response;
        response.setStatus(307);
        response.setHeader("Location", elsewhere.get().toString());
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setContentLength(0);
        return true;
    }

    /** The bytes to send: 206 and their {@code Content-Range} for a range, else 200 and the whole blob. */
    private static ByteRange rangeOf(Exchange exchange, Blob blob) {
        var response = exchange.response;
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(exchange.request.getHeader("Range"), blob.size());
        } catch (RegistryException unsatisfiable) {
            response.setHeader("Content-Range", ByteRange.unsatisfiedContentRange(blob.size()));
            throw unsatisfiable;
        }
        if (range.isEmpty()) {
            response.setStatus(200);
            return ByteRange.whole(blob.size());
        }
        response.setStatus(206);
        response.setHeader("Content-Range", range.get().contentRange(blob.size()));
        return range.get();
    }

    private static void describe(HttpServletResponse response, Digest digest, ByteRange range) {
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(range.length());
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("ETag", "\"" + digest + "\"");
        response.setHeader("Cache-Control", CACHE_CONTROL);
    }

    /**
     * The bytes, the cheapest way there is: a local file to a client on this machine through a
     * direct buffer, to anyone else by {@code sendfile}; a blob elsewhere streamed from storage.
     */
    private void send(Exchange exchange, Blob blob, ByteRange range) throws IOException {
        Optional<Path> file = blobs.localFile(blob);
        if (file.isPresent() && overLoopback(exchange.request)) {
            toSameMachine(exchange.response, file.get(), range.start(), range.end());
        } else if (file.isPresent() && Boolean.TRUE.equals(exchange.request.getAttribute(SENDFILE_SUPPORTED))) {
            exchange.request.setAttribute(SENDFILE_FILE, file.get().toString());
            exchange.request.setAttribute(SENDFILE_START, range.start());
            exchange.request.setAttribute(SENDFILE_END, range.end());
        } else {
            stream(exchange.response, blob, range);
        }
    }

    private void stream(HttpServletResponse response, Blob blob, ByteRange range) throws IOException {
        try (InputStream in = blobs.open(blob, range.start())) {
            ServletOutputStream out = response.getOutputStream();
            byte[] buffer = new byte[chunkSize(range.length())];
            long remaining = range.length();
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new IOException("blob " + blob.digest() + " ended early in storage");
                }
                out.write(buffer, 0, read);
                remaining -= read;
            }
        }
    }

    /**
     * Over loopback, {@code sendfile} saves nothing: the kernel hands the file's page-cache pages to
     * the receiving socket, and the client then copies them out page by page, on its own critical
     * path (skopeo spent 0.09 s more system time per 200 MiB than with data written by
     * {@code write}). Writing from a direct buffer does that copy on Berth's thread instead, in
     * parallel with the client, the way CNCF Distribution always sends blobs. Across a network the
     * client's kernel never sees Berth's pages, so {@code sendfile} stays the cheaper way there.
     * The local address is the test, not the remote one: a reverse proxy's forwarded client address
     * may replace the remote address, but a connection to a loopback address is always from here.
     */
    private static boolean overLoopback(HttpServletRequest request) {
        String local = request.getLocalAddr();
        try {
            // An address literal, so no name lookup; covers 127.0.0.0/8 and ::1 however written.
            return local != null && !local.isEmpty() && java.net.InetAddress.getByName(local).isLoopbackAddress();
        } catch (java.net.UnknownHostException notAnAddress) {
            return false;
        }
    }

    /**
     * Streams {@code [start, end)} of the file through a direct buffer straight into Tomcat's
     * stream. The response is committed first (that writes the headers security filters add), and
     * then written through Tomcat's own stream: the filters' wrappers would copy each chunk into a
     * fresh array. With a response buffer smaller than the chunk, Tomcat passes the chunk on in
     * slices instead of collecting it in that buffer; it still copies each slice through its socket
     * write buffer (Tomcat 11.0), which is why this costs Berth more CPU than {@code sendfile}.
     */
    private static void toSameMachine(HttpServletResponse response, Path file, long start, long end) throws IOException {
        // Opened before the headers go out: a file that cannot be read must still end in an error
        // answer, not in a committed 200 whose promised bytes never come.
        try (FileChannel channel = FileChannel.open(file)) {
            response.setBufferSize(RESPONSE_BUFFER);
            response.flushBuffer();
            ServletResponse tomcats = response;
            while (tomcats instanceof ServletResponseWrapper wrapper) {
                tomcats = wrapper.getResponse();
            }
            ServletOutputStream out = tomcats.getOutputStream();
            ByteBuffer chunk = ByteBuffer.allocateDirect(chunkSize(end - start));
            long position = start;
            while (position < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
                int read = channel.read(chunk, position);
                if (read < 0) {
                    throw new IOException("blob file " + file + " ended early");
                }
                position += read;
                out.write(chunk.flip());
            }
        }
    }

    /** Large reads for layers, but no megabyte for a config of a few hundred bytes. */
    private static int chunkSize(long length) {
        return (int) Math.min(BUFFER, length);
    }

    void delete(Exchange exchange) throws IOException {
        Digest digest = Digest.parse(exchange.parameter("digest"));
        blobs.unlink(exchange.name(), digest);
        exchange.response.setStatus(202);
        exchange.response.setContentLength(0);
    }
}
