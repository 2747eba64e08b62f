package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Content-Range} of a chunk sent to an upload session: {@code <start>-<end>}, both
 * inclusive, as Docker sends it (with {@code bytes } or {@code bytes=} before and a {@code /total}
 * after, as other clients do). At most 18 digits each, so no value overflows a long.
 */
record ContentRange(long start, long end) {

    private static final Pattern GRAMMAR = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d+|\\*))?");

    /** The range the header names, none for no header; refuses with {@code RANGE_INVALID} what is not one. */
    static @Nullable ContentRange parse(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher matcher = GRAMMAR.matcher(header.trim());
        if (!matcher.matches()) {
            String shown = header.length() > 60 ? header.substring(0, 60) : header;
            throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range must be <start>-<end>, e.g. 0-1023, not '" + shown + "'.");
        }
        long start = Long.parseLong(matcher.group(1));
        long end = Long.parseLong(matcher.group(2));
        if (end < start) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range ends before it starts.");
        }
        return new ContentRange(start, end);
    }

    long length() {
        return end - start + 1;
    }
}
