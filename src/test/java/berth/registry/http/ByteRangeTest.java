package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void every_single_range_on_small_blobs_is_what_rfc_9110_says() {
        int checked = 0;
        for (long size = 0; size <= 12; size++) {
            for (long a = 0; a <= 15; a++) {
                assertParses("bytes=" + a + "-", size, a >= size ? null : new ByteRange(a, size));
                assertParses("bytes=-" + a, size, a == 0 || size == 0 ? null : new ByteRange(Math.max(0, size - a), size));
                for (long b = 0; b <= 15; b++) {
                    assertParses("bytes=" + a + "-" + b, size, a >= size || b < a ? null : new ByteRange(a, Math.min(b, size - 1) + 1));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(13 * 16 * 16);
    }

    @Test
    void numbers_beyond_a_long_mean_past_the_end() {
        assertThat(ByteRange.parse("bytes=0-99999999999999999999", 10)).contains(new ByteRange(0, 10));
        assertThat(ByteRange.parse("bytes=0-9223372036854775807", 10)).contains(new ByteRange(0, 10));
        assertThat(ByteRange.parse("bytes=3-9223372036854775806", 10)).contains(new ByteRange(3, 10));
        assertThat(ByteRange.parse("bytes=-99999999999999999999", 10)).contains(new ByteRange(0, 10));
        assertUnsatisfiable("bytes=99999999999999999999-", 10);
        assertUnsatisfiable("bytes=9223372036854775807-9223372036854775807", Long.MAX_VALUE);
    }

    @Test
    void what_is_not_one_range_in_bytes_gets_the_whole_blob() {
        for (String header : new String[] {"bytes=0-1,4-5", "items=0-1", "bytes=-", "bytes=a-b", "bytes 0-1", "bytes=0-1-2", "", "bytes=+1-2"}) {
            assertThat(ByteRange.parse(header, 10)).as(header).isEmpty();
        }
        assertThat(ByteRange.parse(null, 10)).isEmpty();
        assertThat(ByteRange.parse("  bytes=2-3 ", 10)).contains(new ByteRange(2, 4));
    }

    @Test
    void headers_of_the_answers() {
        ByteRange range = ByteRange.parse("bytes=10-19", 30).orElseThrow();
        assertThat(range.length()).isEqualTo(10);
        assertThat(range.contentRange(30)).isEqualTo("bytes 10-19/30");
        assertThat(ByteRange.whole(30)).isEqualTo(new ByteRange(0, 30));
        assertThat(ByteRange.unsatisfiedContentRange(30)).isEqualTo("bytes */30");
        assertThatThrownBy(() -> ByteRange.parse("bytes=40-50", 30)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID);
            assertThat(e.status()).isEqualTo(416);
            assertThat(e.detail()).isEqualTo(Map.of("size", 30L));
        });
    }

    private static void assertParses(String header, long size, ByteRange expected) {
        if (expected == null) {
            assertUnsatisfiable(header, size);
            return;
        }
        Optional<ByteRange> parsed = ByteRange.parse(header, size);
        assertThat(parsed).as("%s of %d bytes", header, size).contains(expected);
        assertThat(parsed.get().length()).isPositive();
        assertThat(parsed.get().end()).isLessThanOrEqualTo(size);
    }

    private static void assertUnsatisfiable(String header, long size) {
        assertThatThrownBy(() -> ByteRange.parse(header, size)).as("%s of %d bytes", header, size)
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RANGE_INVALID));
    }
}
