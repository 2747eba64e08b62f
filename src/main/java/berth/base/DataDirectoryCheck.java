package berth.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Makes sure the data directory exists and is writable before anything opens a file in it, so an
 * unusable directory stops start-up with one sentence instead of a database driver's stack trace.
 * It runs once the context is prepared, just before it is refreshed: by then every property source
 * is in place, also those a test adds to the context, which an earlier check did not see (it made and
 * probed {@code ./data} in the working directory instead of the test's own).
 */
public class DataDirectoryCheck implements ApplicationListener<ApplicationPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        Path dir = Binder.get(event.getApplicationContext().getEnvironment())
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
