package berth.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The storage a registry needs, and no more: the operations of CNCF Distribution's
 * {@code storagedriver.StorageDriver}, so that an object store can implement it as easily as a
 * filesystem. Paths are absolute, slash-separated, and made of {@code [A-Za-z0-9._-]} segments
 * (never {@code .} or {@code ..}); {@link StorageLayout} builds every one of them.
 *
 * <p>Visibility rule: a path that {@link #putContent} or {@link #move} produces is either absent
 * or complete for every reader. Only a {@link #writer} target (an upload's {@code data}) may be
 * seen while it grows.
 */
public interface StorageDriver {

    /** A short name for health and logs, e.g. {@code filesystem}. */
    String name();

    /** The whole content of a small file (links, manifests). */
    byte[] getContent(String path) throws IOException;

    /** Replaces the file with {@code content}, atomically for readers. */
    void putContent(String path, byte[] content) throws IOException;

    /** Reads the file from {@code offset}. */
    InputStream reader(String path, long offset) throws IOException;

    /**
     * Opens the file for writing at its end ({@code append}) or from empty. An object store
     * implements this with a multipart upload that {@link StorageWriter#commit()} completes.
     */
    StorageWriter writer(String path, boolean append) throws IOException;

    /** Size, modification time and kind of the file or directory. */
    FileInfo stat(String path) throws IOException;

    /** The direct children of a directory, as full paths, sorted. */
    List<String> list(String path) throws IOException;

    /** Moves a file, replacing the destination; atomic for readers of the destination. */
    void move(String source, String destination) throws IOException;

    /** Deletes a file or a directory with everything under it. */
    void delete(String path) throws IOException;

    /**
     * Visits everything under {@code path} depth-first in lexical order, directories before their
     * content; the visitor can skip a directory's content.
     */
    void walk(String path, WalkVisitor visitor) throws IOException;

    /**
     * The local file behind a path, when there is one, so the HTTP layer can hand it to the
     * kernel ({@code sendfile}) instead of copying it through the JVM. Object stores have none.
     */
    default Optional<Path> localFile(String path) {
        return Optional.empty();
    }

    /**
     * A URL where clients may fetch the file themselves (a presigned object-store URL), when the
     * driver is configured to offer one; the HTTP layer then answers a blob GET with a redirect.
     */
    default Optional<URI> redirectUrl(String path) {
        return Optional.empty();
    }

    /** What {@link #walk} calls for each entry. */
    @FunctionalInterface
    interface WalkVisitor {
        /** @return false to skip the content of this directory (ignored for files) */
        boolean visit(FileInfo info) throws IOException;
    }
}
