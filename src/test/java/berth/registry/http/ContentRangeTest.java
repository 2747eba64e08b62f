package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.testing.RandomText;
import org.junit.jupiter.api.Test;

import static berth.testing.RandomText.reproduce;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 23, fuzzing: the upload's Content-Range parser over generated headers. */
class ContentRangeTest {

    private final RandomText random = new RandomText(RandomText.SEED);

    @Test
    void every_header_is_a_range_with_start_not_after_end_or_range_invalid() {
        random.check(() -> random.chance(50) ? random.any() + random.from("0123456789-/ ", random.below(30))
                : random.mutate(validHeader(random.below(1000), random.below(1000))), header -> {
            ContentRange range = ContentRange.parse(header);
            if (range == null) {
                assertThat(header).as(reproduce(header)).isBlank();
            } else {
                assertThat(range.start()).as(reproduce(header)).isNotNegative().isLessThanOrEqualTo(range.end());
                assertThat(range.length()).as(reproduce(header)).isPositive();
            }
        }, RegistryException.class, (header, e) -> assertThat(e.code()).as(reproduce(header)).isEqualTo(ErrorCode.RANGE_INVALID));
    }

    @Test
    void the_forms_clients_send_give_back_their_numbers() {
        for (int i = 0; i < RandomText.TRIES / 10; i++) {
            long start = random.below(1_000_000);
            long end = start + random.below(1_000_000);
            String header = validHeader(start, end);
            ContentRange range = ContentRange.parse(header);
            assertThat(range).as(reproduce(header)).isEqualTo(new ContentRange(start, end));
        }
        assertThat(ContentRange.parse("0-" + "9".repeat(18))).isEqualTo(new ContentRange(0, 999_999_999_999_999_999L));
    }

    private String validHeader(long start, long end) {
        String prefix = switch (random.below(3)) {
            case 0 -> "";
            case 1 -> "bytes ";
            default -> "bytes=";
        };
        String suffix = switch (random.below(3)) {
            case 0 -> "";
            case 1 -> "/*";
            default -> "/" + (end + 1);
        };
        return prefix + start + "-" + end + suffix;
    }
}
