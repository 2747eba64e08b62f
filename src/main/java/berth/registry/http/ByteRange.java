package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The bytes {@code [start, end)} of a blob that a {@code GET} serves, from its {@code Range}
 * header (RFC 9110 section 14). Only one range in bytes is served; anything else - several ranges,
 * another unit, a header that is no range at all - gets the whole blob, as HTTP allows.
 */
record ByteRange(long start, long end) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    ByteRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a byte range: [" + start + ", " + end + ")");
        }
    }

    /** All of a blob of {@code size} bytes. */
    static ByteRange whole(long size) {
        return new ByteRange(0, size);
    }

    /**
     * The part of a blob of {@code size} bytes that {@code header} asks for; empty when the whole
     * blob is to be served (no header, or one that is not served). A range that lies outside the
     * blob is {@link ErrorCode#RANGE_INVALID} (416).
     */
    static Optional<ByteRange> parse(@Nullable String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher matcher = SINGLE.matcher(header.trim());
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            return Optional.empty();
        }
        long start;
        long end;
        if (matcher.group(1).isEmpty()) { // "-n": the last n bytes
            start = Math.max(0, size - number(matcher.group(2)));
            end = size;
        } else {
            start = number(matcher.group(1));
            // A last byte at or past the end means "to the end"; compared first, so no + 1 overflows.
            long last = matcher.group(2).isEmpty() ? Long.MAX_VALUE : number(matcher.group(2));
            end = last >= size - 1 ? size : last + 1;
        }
        if (start >= size || end <= start) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "The requested range is outside the blob of " + size + " bytes.",
                    Map.of("size", size));
        }
        return Optional.of(new ByteRange(start, end));
    }

    long length() {
        return end - start;
    }

    /** The {@code Content-Range} of a 206 answer serving this range of a blob of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + start + "-" + (end - 1) + "/" + size;
    }

    /** The {@code Content-Range} of a 416 answer. */
    static String unsatisfiedContentRange(long size) {
        return "bytes */" + size;
    }

    /** Digits as a number; more than a long holds is as far as a long goes, which lies past every blob. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
