package berth.catalog.store;

import berth.catalog.remote.CatalogJson;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists and maps of an image config, kept as JSON text: they are shown, never queried. Hibernate
 * makes the converters through Spring, which hands them the catalog's mapper.
 */
public final class JsonColumns {

    private JsonColumns() {
    }

    @Converter
    static final class StringList implements AttributeConverter<List<String>, String> {

        private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
        };

        private final JsonMapper json;

        StringList(CatalogJson json) {
            this.json = json.mapper();
        }

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable List<String> value) {
            return value == null || value.isEmpty() ? null : json.writeValueAsString(value);
        }

        @Override
        public List<String> convertToEntityAttribute(@Nullable String column) {
            return column == null || column.isEmpty() ? List.of() : List.copyOf(json.readValue(column, TYPE));
        }
    }

    @Converter
    static final class StringMap implements AttributeConverter<Map<String, String>, String> {

        private static final TypeReference<Map<String, String>> TYPE = new TypeReference<>() {
        };

        private final JsonMapper json;

        StringMap(CatalogJson json) {
            this.json = json.mapper();
        }

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable Map<String, String> value) {
            return value == null || value.isEmpty() ? null : json.writeValueAsString(value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(@Nullable String column) {
            return column == null || column.isEmpty() ? Map.of() : json.readValue(column, TYPE);
        }
    }
}
