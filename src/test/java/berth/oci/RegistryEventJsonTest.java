package berth.oci;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The event publication registry stores events as JSON and reads them back after a crash: the round trip must hold. */
class RegistryEventJsonTest {

    @Test
    void a_registry_event_survives_a_json_round_trip() {
        JsonMapper json = JsonMapper.builder().findAndAddModules().build();
        RegistryEvent event = new RegistryEvent("id-1", Instant.parse("2026-12-07T02:00:00.123Z"), RegistryEvent.Action.PUSH,
                new RegistryEvent.Target(MediaTypes.OCI_MANIFEST, "sha256:" + "a".repeat(64), 528, "project/app", "1.0"),
                "admin@example.test", "127.0.0.1");

        assertThat(json.readValue(json.writeValueAsString(event), RegistryEvent.class)).isEqualTo(event);
    }
}
