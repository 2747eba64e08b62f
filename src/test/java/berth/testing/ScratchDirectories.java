package berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Temporary directories for tests and benchmarks that go away when the test JVM has exited. Registry
 * data, pushed images and benchmark layers run to gigabytes; left in {@code /tmp} after every run
 * they fill a developer's disk.
 *
 * <p>They are deleted once the JVM is gone ({@link AfterThisJvm}), not by a shutdown hook: deleting
 * gigabytes in a hook kept the JVM from exiting for more than 30 s, so Surefire killed the fork and
 * left the rest behind, and a hook runs beside the hooks still closing test contexts whose databases
 * live in these directories. The deletion reads the directories from a list this class appends to.
 */
public final class ScratchDirectories {

    private static final List<Path> CREATED = new ArrayList<>();
    private static @Nullable Path list;

    private ScratchDirectories() {
    }

    /** A new empty directory under the system's temporary directory, deleted with its contents once the JVM has exited. */
    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            synchronized (CREATED) {
                if (CREATED.isEmpty()) {
                    list = watchedList();
                }
                CREATED.add(directory);
                if (list != null) {
                    Files.writeString(list, directory + "\n", StandardOpenOption.APPEND);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leaves the deletion to a watcher and returns the list it reads; without one (no bash here), a shutdown hook deletes. */
    private static @Nullable Path watchedList() throws IOException {
        Path listed = Files.createTempFile("berth-scratch-", ".list");
        try {
            AfterThisJvm.run("while IFS= read -r d; do rm -rf -- \"$d\"; done < '" + listed + "'; rm -f -- '" + listed + "'");
            return listed;
        } catch (IOException noWatcher) {
            Files.deleteIfExists(listed);
            Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirectories::deleteAll, "scratch-directories-cleanup"));
            return null;
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
