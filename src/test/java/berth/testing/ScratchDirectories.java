package berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary directories for tests and benchmarks that go away when the test JVM exits. Registry
 * data, pushed images and benchmark layers run to gigabytes; left in {@code /tmp} after every run
 * they fill a developer's disk.
 */
public final class ScratchDirectories {

    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirectories::deleteAll, "scratch-directories-cleanup"));
    }

    private ScratchDirectories() {
    }

    /** A new empty directory under the system's temporary directory, deleted with its contents at exit. */
    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            synchronized (CREATED) {
                CREATED.add(directory);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteAll() {
        List<Path> directories;
        synchronized (CREATED) {
            directories = List.copyOf(CREATED);
        }
        for (Path directory : directories) {
            deleteTree(directory);
        }
    }

    /** Best effort: a process still writing (a registry being stopped) must not stop the rest. */
    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    directory.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // nothing more to do at exit
        }
    }
}
