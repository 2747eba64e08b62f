package berth.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every storage driver must do, as CNCF Distribution's driver test suite asks of its drivers.
 * A driver's test extends this class and says how to make a fresh, empty driver.
 */
public abstract class StorageDriverContract {

    protected StorageDriver driver;

    /** A driver over empty storage, fresh for each test. */
    protected abstract StorageDriver newDriver() throws IOException;

    @BeforeEach
    void freshDriver() throws IOException {
        driver = newDriver();
    }

    @Test
    void content_put_is_content_got() throws IOException {
        driver.putContent("/a/b/c/link", bytes("sha256:abc"));
        assertThat(driver.getContent("/a/b/c/link")).isEqualTo(bytes("sha256:abc"));
        driver.putContent("/a/b/c/link", bytes("replaced"));
        assertThat(driver.getContent("/a/b/c/link")).isEqualTo(bytes("replaced"));
        driver.putContent("/empty", new byte[0]);
        assertThat(driver.getContent("/empty")).isEmpty();
    }

    @Test
    void missing_paths_are_path_not_found_everywhere() {
        assertThatThrownBy(() -> driver.getContent("/nope")).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.reader("/nope", 0)).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.stat("/nope")).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.list("/nope")).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.move("/nope", "/elsewhere")).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.delete("/nope")).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void paths_that_could_leave_the_storage_are_refused() {
        for (String path : List.of("relative", "/a/../b", "/a/./b", "/a//b", "/a/b/", "/a\0b", "/a b", "/ä")) {
            assertThatThrownBy(() -> driver.putContent(path, new byte[1])).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_reader_starts_at_the_offset() throws IOException {
        driver.putContent("/file", bytes("0123456789"));
        try (InputStream in = driver.reader("/file", 4)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("456789"));
        }
    }

    @Test
    void a_writer_appends_across_sessions_and_reports_its_size() throws IOException {
        try (StorageWriter writer = driver.writer("/uploads/x/data", false)) {
            writer.write(ByteBuffer.wrap(bytes("hello ")));
            assertThat(writer.size()).isEqualTo(6);
            writer.commit();
        }
        try (StorageWriter writer = driver.writer("/uploads/x/data", true)) {
            writer.write(ByteBuffer.wrap(bytes("world")));
            assertThat(writer.size()).isEqualTo(11);
            writer.commit();
        }
        assertThat(driver.getContent("/uploads/x/data")).isEqualTo(bytes("hello world"));
        assertThat(driver.stat("/uploads/x/data").size()).isEqualTo(11);
    }

    @Test
    void a_cancelled_writer_leaves_nothing() throws IOException {
        StorageWriter writer = driver.writer("/uploads/y/data", false);
        writer.write(ByteBuffer.wrap(bytes("discard me")));
        writer.cancel();
        assertThatThrownBy(() -> driver.stat("/uploads/y/data")).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void stat_tells_files_from_directories() throws IOException {
        driver.putContent("/dir/file", bytes("12345"));
        FileInfo file = driver.stat("/dir/file");
        assertThat(file.directory()).isFalse();
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.path()).isEqualTo("/dir/file");
        assertThat(driver.stat("/dir").directory()).isTrue();
    }

    @Test
    void list_gives_direct_children_sorted_as_full_paths() throws IOException {
        driver.putContent("/tags/b/current/link", bytes("x"));
        driver.putContent("/tags/a/current/link", bytes("x"));
        driver.putContent("/tags/c", bytes("x"));
        assertThat(driver.list("/tags")).containsExactly("/tags/a", "/tags/b", "/tags/c");
    }

    @Test
    void move_replaces_the_destination_and_removes_the_source() throws IOException {
        driver.putContent("/uploads/u/data", bytes("new"));
        driver.putContent("/blobs/ab/data", bytes("old"));
        driver.move("/uploads/u/data", "/blobs/ab/data");
        assertThat(driver.getContent("/blobs/ab/data")).isEqualTo(bytes("new"));
        assertThatThrownBy(() -> driver.stat("/uploads/u/data")).isInstanceOf(PathNotFoundException.class);
        driver.putContent("/uploads/v/data", bytes("into a new directory"));
        driver.move("/uploads/v/data", "/blobs/cd/ef/data");
        assertThat(driver.getContent("/blobs/cd/ef/data")).isEqualTo(bytes("into a new directory"));
    }

    @Test
    void delete_removes_a_file_or_a_whole_tree() throws IOException {
        driver.putContent("/repo/_manifests/tags/a/current/link", bytes("x"));
        driver.putContent("/repo/_manifests/tags/a/index/sha256/1/link", bytes("x"));
        driver.putContent("/repo/_manifests/tags/b/current/link", bytes("x"));
        driver.delete("/repo/_manifests/tags/a");
        assertThat(driver.list("/repo/_manifests/tags")).containsExactly("/repo/_manifests/tags/b");
        driver.delete("/repo/_manifests/tags/b/current/link");
        assertThatThrownBy(() -> driver.getContent("/repo/_manifests/tags/b/current/link")).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void walk_visits_depth_first_in_lexical_order_and_can_skip_directories() throws IOException {
        driver.putContent("/r/b/_manifests/x", bytes("x"));
        driver.putContent("/r/a/_layers/y", bytes("y"));
        driver.putContent("/r/a/c/_manifests/z", bytes("z"));
        List<String> visited = new ArrayList<>();
        driver.walk("/r", info -> {
            visited.add(info.path());
            return !info.path().endsWith("/_layers");
        });
        assertThat(visited).containsExactly("/r/a", "/r/a/_layers", "/r/a/c", "/r/a/c/_manifests", "/r/a/c/_manifests/z",
                "/r/b", "/r/b/_manifests", "/r/b/_manifests/x");
    }

    @Test
    void concurrent_writers_of_the_same_content_never_expose_a_partial_file() throws Exception {
        byte[] content = new byte[1 << 20];
        java.util.Arrays.fill(content, (byte) 7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writes.add(pool.submit(() -> {
                    driver.putContent("/blobs/same/data", content);
                    return null;
                }));
            }
            for (int i = 0; i < 50; i++) {
                try {
                    byte[] read = driver.getContent("/blobs/same/data");
                    assertThat(read.length).isEqualTo(content.length);
                } catch (PathNotFoundException notYet) {
                    // absent is fine; partial is not
                }
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(driver.getContent("/blobs/same/data")).isEqualTo(content);
        assertThat(driver.list("/blobs/same")).containsExactly("/blobs/same/data");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
