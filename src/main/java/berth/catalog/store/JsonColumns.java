package berth.catalog.store;

import berth.catalog.remote.RegistryClient;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/** Lists and maps of an image config, kept as JSON text: they are shown, never queried. */
public final class JsonColumns {

    private JsonColumns() {
    }

    @Converter
    static final class StringList implements AttributeConverter<List<String>, String> {

        private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
        };

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable List<String> value) {
            return value == null || value.isEmpty() ? null : RegistryClient.JSON.writeValueAsString(value);
        }

        @Override
        public List<String> convertToEntityAttribute(@Nullable String column) {
            return column == null || column.isEmpty() ? List.of() : List.copyOf(RegistryClient.JSON.readValue(column, TYPE));
        }
    }

    @Converter
    static final class StringMap implements AttributeConverter<Map<String, String>, String> {

        private static final TypeReference<Map<String, String>> TYPE = new TypeReference<>() {
        };

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable Map<String, String> value) {
            return value == null || value.isEmpty() ? null : RegistryClient.JSON.writeValueAsString(value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(@Nullable String column) {
            return column == null || column.isEmpty() ? Map.of() : RegistryClient.JSON.readValue(column, TYPE);
        }
    }
}
