package berth.catalog.remote;

import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog's one JSON mapper: Spring Boot's, made lenient for what registries send. Registries
 * add fields, and leave out sizes (Distribution's delete events) that Jackson 3 would refuse as null
 * primitives. The catalog reads and writes all its JSON (registry answers, notifications, manifests
 * it reads, the JSON columns of its tables) with this one.
 */
@Component
public class CatalogJson {

    private final JsonMapper mapper;

    public CatalogJson(JsonMapper boot) {
        this.mapper = boot.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public JsonMapper mapper() {
        return mapper;
    }
}
