package berth.base.ui;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageBundlesTest {

    @Test
    void every_console_text_exists_in_english_and_korean() throws IOException {
        Properties english = load("/messages.properties");
        Properties korean = load("/messages_ko.properties");
        assertThat(english).isNotEmpty();
        assertThat(korean.keySet()).containsExactlyInAnyOrderElementsOf(english.keySet());
        korean.forEach((key, value) -> assertThat(value.toString()).as(key.toString()).isNotBlank());
    }

    /** A service's refusal names its console text by key ("error.…"); the key must be in the bundles, or Korean readers get English. */
    @Test
    void every_message_key_a_service_refuses_with_is_a_console_text() throws IOException {
        Properties english = load("/messages.properties");
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("\"(error\\.[a-z-]+(?:\\.[a-z-]+)+)\"");
        java.util.Set<String> used = new java.util.TreeSet<>();
        try (var sources = java.nio.file.Files.walk(java.nio.file.Path.of("src", "main", "java"))) {
            for (java.nio.file.Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                key.matcher(java.nio.file.Files.readString(file)).results().map(m -> m.group(1)).forEach(used::add);
            }
        }
        assertThat(used).as("error.* keys in the services").contains("error.project.exists", "error.project.last-admin");
        assertThat(english.stringPropertyNames()).containsAll(used);
        // "error.access." + the action's name: one text per action.
        for (String action : java.util.List.of("browse", "delete", "administer")) {
            assertThat(english.stringPropertyNames()).contains("error.access." + action);
        }
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (var in = MessageBundlesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
