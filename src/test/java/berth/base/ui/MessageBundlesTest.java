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

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (var in = MessageBundlesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
