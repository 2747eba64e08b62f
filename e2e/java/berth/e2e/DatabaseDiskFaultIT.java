package berth.e2e;

import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 23, finding 2: H2's files made immutable under a running Berth ({@code chattr +i}, as root).
 * Before, the failed write was a 500, the next request spun a core for more than ten minutes and
 * health said UP. Now the request fails fast with 503, Berth stops with one sentence, and once the
 * files are writable again a restart on the same data directory has every earlier write.
 */
class DatabaseDiskFaultIT {

    @Test
    void an_unwritable_database_stops_berth_with_one_sentence_and_a_restart_recovers() throws Exception {
        Tools.require("chattr");
        Path data = ScratchDirectories.create("berth-disk-fault");
        Path log = data.resolve("berth.log");
        int port = FreePorts.next();
        List<Path> files = new ArrayList<>();
        try (BerthProcess berth = BerthProcess.start(port, data.resolve("data"), log)) {
            BerthApi api = new BerthApi(port);
            api.createAccount("kept@example.test", "kept-password");
            try (Stream<Path> db = Files.list(data.resolve("data/db"))) {
                db.filter(Files::isRegularFile).forEach(files::add);
            }
            assertThat(files).isNotEmpty();
            chattr("+i", files);

            Instant sent = Instant.now();
            BerthApi.Reply failed = api.post("/api/v1/accounts", ADMIN_EMAIL, ADMIN_PASSWORD,
                    Map.of("email", "lost@example.test", "password", "lost-password", "systemAdmin", false));
            assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(20));
            assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
            assertThat(failed.text("error")).isEqualTo("database_unavailable");

            assertThat(berth.exited(Duration.ofSeconds(60))).as("Berth stopped instead of spinning").isTrue();
            assertThat(berth.exitCode()).as("Berth's exit status; its log ends:\n%s", berth.tail()).isEqualTo(1);
            String written = Files.readString(log);
            assertThat(written).contains("Berth stops: its database in").contains("could not be written");
        } finally {
            chattr("-i", files);
        }

        try (BerthProcess again = BerthProcess.start(port, data.resolve("data"), log)) {
            BerthApi api = new BerthApi(port);
            BerthApi.Reply accounts = api.get("/api/v1/accounts", ADMIN_EMAIL, ADMIN_PASSWORD);
            assertThat(accounts.status()).isEqualTo(200);
            assertThat(accounts.raw()).contains("kept@example.test");
            assertThat(api.get("/api/v1/projects", "kept@example.test", "kept-password").status()).isEqualTo(200);
        }
    }

    private static void chattr(String flag, List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("chattr", flag));
        files.forEach(f -> command.add(f.toString()));
        Tools.run(command).requireSuccess("chattr " + flag);
    }
}
