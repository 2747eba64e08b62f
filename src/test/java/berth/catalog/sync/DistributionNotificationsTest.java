package berth.catalog.sync;

import berth.base.InvalidRequestException;
import berth.catalog.remote.CatalogJson;
import berth.oci.RegistryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistributionNotificationsTest {

    private static final JsonMapper JSON = new CatalogJson(JsonMapper.builder().build()).mapper();

    /** Shapes as CNCF Distribution 2.8.2 sends them (captured on this machine). */
    private static final String ENVELOPE = """
            {"events":[
              {"id":"411a4948","timestamp":"2026-11-27T13:52:47.428338607Z","action":"push",
               "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":345,
                         "digest":"sha256:992a","length":345,"repository":"p/app","url":"http://x/v2/p/app/manifests/sha256:992a","tag":"v1"},
               "request":{"id":"b009","addr":"127.0.0.1:33686","host":"127.0.0.1:5998","method":"PUT","useragent":"skopeo/1.9.3"},
               "actor":{},"source":{"addr":"vm:5998","instanceID":"7c33"}},
              {"id":"6db0f5e2","timestamp":"2026-11-27T13:52:53.159388421Z","action":"delete",
               "target":{"digest":"sha256:992a","repository":"p/app"},"actor":{"name":"admin@example.test"}},
              {"id":"06bf15c3","timestamp":"2026-11-27T13:52:53.167193062Z","action":"delete",
               "target":{"repository":"p/app","tag":"v1"}},
              {"id":"later","timestamp":"2026-11-27T13:52:54Z","action":"promote","target":{"repository":"p/app"}}
            ]}""";

    @Test
    void distribution_events_become_registry_events_and_unknown_actions_are_skipped() {
        List<RegistryEvent> events = DistributionNotifications.parse(JSON, ENVELOPE.getBytes(StandardCharsets.UTF_8));

        assertThat(events).hasSize(3);
        RegistryEvent push = events.getFirst();
        assertThat(push.action()).isEqualTo(RegistryEvent.Action.PUSH);
        assertThat(push.timestamp()).isEqualTo(Instant.parse("2026-11-27T13:52:47.428338607Z"));
        assertThat(push.target()).isEqualTo(new RegistryEvent.Target("application/vnd.oci.image.manifest.v1+json", "sha256:992a", 345, "p/app", "v1"));
        assertThat(push.isManifest()).isTrue();
        assertThat(events.get(1).target().size()).isZero();
        assertThat(events.get(1).actorName()).isEqualTo("admin@example.test");
        assertThat(events.get(2).target().tag()).isEqualTo("v1");
    }

    @Test
    void a_manifest_get_is_a_pull_and_a_head_is_not() {
        String envelope = """
                {"events":[
                  {"id":"p1","timestamp":"2026-11-27T21:27:55Z","action":"pull",
                   "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:7473","repository":"bench/small","tag":"v1"},
                   "request":{"addr":"127.0.0.1:40000","method":"HEAD"}},
                  {"id":"p2","timestamp":"2026-11-27T21:27:56Z","action":"pull",
                   "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:7473","repository":"bench/small","tag":"v1"},
                   "request":{"addr":"127.0.0.1:40002","method":"GET"}}
                ]}""";

        List<RegistryEvent> events = DistributionNotifications.parse(JSON, envelope.getBytes(StandardCharsets.UTF_8));

        assertThat(events).extracting(RegistryEvent::id).containsExactly("p2");
        assertThat(events.getFirst().action()).isEqualTo(RegistryEvent.Action.PULL);
    }

    @Test
    void an_envelope_that_is_not_json_or_has_no_events_is_refused() {
        assertThatThrownBy(() -> DistributionNotifications.parse(JSON, "{\"events\":[".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DistributionNotifications.parse(JSON, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DistributionNotifications.parse(JSON, "{\"events\":[{\"action\":\"push\"}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class);
    }
}
