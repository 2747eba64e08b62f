package berth.base;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticeFieldsTest {

    @Test
    void fields_keep_their_order_and_their_null_values() {
        Map<String, Object> data = Notice.fields("run", 7L, "state", "SUCCEEDED", "message", null, "errors", 0);
        assertThat(new ArrayList<>(data.keySet())).containsExactly("run", "state", "message", "errors");
        assertThat(data).containsEntry("run", 7L).containsEntry("message", null).containsEntry("errors", 0);
    }

    @Test
    void a_name_without_a_value_is_refused() {
        assertThatThrownBy(() -> Notice.fields("run", 7L, "state")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.asList(Notice.fields().keySet().toArray())).isEmpty();
    }
}
