package berth.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Storage in a local directory, laid out as CNCF Distribution's filesystem driver lays it out
 * (its {@code rootdirectory} is this driver's root). Visible files appear by atomic rename of a
 * temporary file written next to them, so a crash leaves at most a stray {@code .berth-tmp-*} file,
 * never a partial blob, link or manifest.
 */
public final class FilesystemDriver implements StorageDriver {

    /** Distribution's {@code PathRegexp}: absolute, slash-separated, conservative characters. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    static final String TEMPORARY_PREFIX = ".berth-tmp-";

    private final Path root;

    public FilesystemDriver(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        try {
            return Files.readAllBytes(resolve(path));
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        Path target = resolve(path);
        Path temporary = temporaryNextTo(target);
        try {
            Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            moveAtomically(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        try {
            FileChannel channel = FileChannel.open(resolve(path), StandardOpenOption.READ);
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
    }

    @Override
    public StorageWriter writer(String path, boolean append) throws IOException {
        Path file = resolve(path);
        Files.createDirectories(file.getParent());
        FileChannel channel = append
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new FileWriter(file, channel);
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(resolve(path), BasicFileAttributes.class);
            return new FileInfo(path, attributes.isDirectory() ? 0 : attributes.size(),
                    attributes.lastModifiedTime().toInstant(), attributes.isDirectory());
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path directory = resolve(path);
        List<String> children = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(TEMPORARY_PREFIX))
                    .sorted()
                    .forEach(name -> children.add(("/".equals(path) ? "" : path) + "/" + name));
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        } catch (java.nio.file.NotDirectoryException e) {
            throw new PathNotFoundException(path);
        }
        return children;
    }

    @Override
    public void move(String source, String destination) throws IOException {
        Path from = resolve(source);
        if (!Files.exists(from)) {
            throw new PathNotFoundException(source);
        }
        Path to = resolve(destination);
        Files.createDirectories(to.getParent());
        moveAtomically(from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        Path target = resolve(path);
        // Deleted first and listed only when not empty: garbage collection deletes tens of thousands of directories holding
        // one file (a blob's data, a link), and each system call saved there is a few seconds saved on a large registry.
        try {
            Files.delete(target);
        } catch (NoSuchFileException absent) {
            throw new PathNotFoundException(path);
        } catch (DirectoryNotEmptyException notEmpty) {
            deleteTree(target);
        }
    }

    /** Deletes a directory's content, then the directory; what someone wrote into it meanwhile stays, and so does the directory. */
    private static void deleteTree(Path directory) throws IOException {
        try (java.nio.file.DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                try {
                    Files.delete(child);
                } catch (DirectoryNotEmptyException notEmpty) {
                    deleteTree(child);
                } catch (NoSuchFileException goneMeanwhile) {
                    // deleted by someone else
                }
            }
        } catch (NoSuchFileException goneMeanwhile) {
            return;
        }
        try {
            Files.delete(directory);
        } catch (DirectoryNotEmptyException e) {
            // Someone wrote into the directory while we deleted it; their write wins.
        } catch (NoSuchFileException goneMeanwhile) {
            // deleted by someone else
        }
    }

    @Override
    public void walk(String path, WalkVisitor visitor) throws IOException {
        for (String child : list(path)) {
            FileInfo info;
            try {
                info = stat(child);
            } catch (PathNotFoundException e) {
                continue; // deleted while we walked
            }
            if (visitor.visit(info) && info.directory()) {
                try {
                    walk(child, visitor);
                } catch (PathNotFoundException e) {
                    // deleted while we walked
                }
            }
        }
    }

    @Override
    public Optional<Path> localFile(String path) {
        return Optional.of(resolve(path));
    }

    /** Maps a storage path below the root; anything that could leave it is a programming error. */
    Path resolve(String path) {
        if (!"/".equals(path) && (!PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")
                || path.endsWith("/.") || path.endsWith("/.."))) {
            throw new IllegalArgumentException("not a storage path: " + path);
        }
        Path resolved = root.resolve(path.substring(1)).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("not a storage path: " + path);
        }
        return resolved;
    }

    private static Path temporaryNextTo(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return target.resolveSibling(TEMPORARY_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the storage directory does not support atomic renames: " + to.getParent(), e);
        } catch (FileAlreadyExistsException e) {
            // A directory of the same name is in the way: a layout Berth never creates.
            throw new IOException("cannot replace " + to, e);
        }
    }

    private record FileWriter(Path file, FileChannel channel) implements StorageWriter {

        @Override
        public int write(ByteBuffer source) throws IOException {
            int written = 0;
            while (source.hasRemaining()) {
                written += channel.write(source);
            }
            return written;
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void commit() {
            // Written bytes are in the file already; durability across power loss is not promised, as in Distribution.
        }

        @Override
        public void cancel() throws IOException {
            channel.close();
            Files.deleteIfExists(file);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
