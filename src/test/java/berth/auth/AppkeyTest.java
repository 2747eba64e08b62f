package berth.auth;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppkeyTest {

    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void last_use_is_written_at_most_once_a_minute() {
        Project project = new Project(new ProjectName("team"), 1, START);
        Account owner = new Account("dev@example.test", "{noop}x", false, START);
        Appkey key = Appkey.personal(project, owner, new Appkey.SealedSecret("sealed", "fingerprint"), START);

        key.usedAt(START);
        assertThat(key.lastUsedAt()).isEqualTo(START);
        key.usedAt(START.plusSeconds(30));
        assertThat(key.lastUsedAt()).as("the tokens of one push touch the row once").isEqualTo(START);
        key.usedAt(START.plus(Duration.ofMinutes(2)));
        assertThat(key.lastUsedAt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
    }
}
