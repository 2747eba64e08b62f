package berth.webhooks;

import berth.auth.ProjectAccess;
import berth.base.BerthSettings;
import berth.base.Notice;
import berth.oci.RegistryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes a registry event as a CloudEvents 1.0 JSON body (structured mode). */
@Component
record CloudEvents(BerthSettings berth) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body for one endpoint: its {@code id} is the delivery's, the same on every attempt. */
    String of(String deliveryId, WebhookEvent type, RegistryEvent event) {
        RegistryEvent.Target target = event.target();
        String repository = target.repository();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("repository", repository);
        data.put("tag", target.tag());
        data.put("digest", target.digest());
        data.put("mediaType", target.mediaType());
        data.put("size", target.size());
        List<String> pull = new ArrayList<>();
        String address = berth.registryHost() + "/" + repository;
        if (target.tag() != null) {
            pull.add(address + ":" + target.tag());
        }
        if (target.digest() != null) {
            pull.add(address + "@" + target.digest());
        }
        data.put("pullAddresses", pull);
        data.put("actor", event.actorName());
        String subject = target.tag() != null ? repository + ":" + target.tag()
                : target.digest() != null ? repository + "@" + target.digest() : repository;
        return envelope(deliveryId, type, ProjectAccess.projectOf(repository), subject, event.timestamp(), data);
    }

    /** The body of a module's {@link Notice}: its data as it gives it; the subject its repository, or else the project. */
    String of(String deliveryId, WebhookEvent type, String project, Notice notice) {
        return envelope(deliveryId, type, project, notice.repository() != null ? notice.repository() : project, notice.at(), notice.data());
    }

    /** What "Send test event" sends. */
    String test(String deliveryId, String project, Instant at) {
        return envelope(deliveryId, WebhookEvent.TEST, project, project, at, Map.of("message", "A test event from Berth."));
    }

    private static String envelope(String id, WebhookEvent type, String project, String subject, Instant at, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("type", type.cloudEventType());
        event.put("source", "/projects/" + project);
        event.put("subject", subject);
        event.put("time", at.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return JSON.writeValueAsString(event);
    }
}
