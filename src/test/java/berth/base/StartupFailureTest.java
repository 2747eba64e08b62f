package berth.base;

import berth.BerthApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path temp;

    @Test
    void an_unwritable_data_directory_stops_start_up_with_one_sentence(CapturedOutput output) throws IOException {
        // A regular file where a directory should be: not even root can create the data directory there.
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        Path dataDir = file.resolve("data");

        assertThatThrownBy(() -> start("--berth.data-dir=" + dataDir, "--server.port=0"))
                .hasRootCauseInstanceOf(IOException.class);

        assertThat(output).contains("Berth cannot write to its data directory " + dataDir.toAbsolutePath().normalize() + ".");
        assertThat(output).contains("BERTH_DATA_DIR");
    }

    @Test
    void a_port_in_use_stops_start_up_with_one_sentence(CapturedOutput output) throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start("--berth.data-dir=" + temp.resolve("data"), "--server.port=" + port))
                    .isNotNull();
            assertThat(output).contains("Port " + port + " was already in use.");
        }
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(BerthApplication.class);
        application.run(args).close();
    }
}
