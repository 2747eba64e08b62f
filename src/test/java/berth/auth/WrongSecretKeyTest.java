package berth.auth;

import berth.BerthApplication;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 23, finding 9: a second instance with another BERTH_SECRET_KEY stops with one sentence naming it. */
@ExtendWith(OutputCaptureExtension.class)
class WrongSecretKeyTest {

    @TempDir
    Path temp;

    @Test
    void another_secret_key_on_the_same_database_stops_start_up_with_one_sentence_naming_the_setting(CapturedOutput output) {
        String dataDir = "--berth.data-dir=" + temp.resolve("data");
        SpringApplication.run(BerthApplication.class, dataDir, "--server.port=0", "--berth.secret-key=" + key()).close();
        int before = output.getOut().length();

        assertThatThrownBy(() -> SpringApplication.run(BerthApplication.class, dataDir, "--server.port=0", "--berth.secret-key=" + key()).close())
                .hasRootCauseInstanceOf(javax.crypto.AEADBadTagException.class);

        String failedStart = output.getOut().substring(before);
        assertThat(failedStart).contains("BERTH_SECRET_KEY (berth.secret-key) is not the key they were sealed with")
                .doesNotContain("\tat ").doesNotContain("cannot decrypt an Appkey");
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
