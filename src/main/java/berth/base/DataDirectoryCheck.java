package berth.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Makes sure the data directory exists and is writable before anything opens a file in it, so an
 * unusable directory stops start-up with one sentence instead of a database driver's stack trace.
 */
public class DataDirectoryCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Path dir = Binder.get(event.getEnvironment())
                .bind("berth.data-dir", Path.class)
                .orElse(Path.of("./data"))
                .toAbsolutePath()
                .normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new DataDirectoryUnusableException(dir, e);
        }
    }

    /** The data directory cannot be created or written. */
    public static final class DataDirectoryUnusableException extends RuntimeException {
        private final Path directory;

        DataDirectoryUnusableException(Path directory, Exception cause) {
            super("Data directory " + directory + " is not writable", cause);
            this.directory = directory;
        }

        public Path directory() {
            return directory;
        }
    }
}
