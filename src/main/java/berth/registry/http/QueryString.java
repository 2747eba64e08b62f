package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request's query string as parameters: percent-decoded strictly as UTF-8, the first value of each key. */
final class QueryString {

    private QueryString() {
    }

    static Map<String, String> parse(@Nullable String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawKey = equals < 0 ? pair : pair.substring(0, equals);
            String key = decode(rawKey, rawKey);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), key);
            parameters.putIfAbsent(key, value);
        }
        return parameters;
    }

    private static String decode(String text, String key) {
        StringBuilder decoded = new StringBuilder(text.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    throw invalid(key);
                }
                escaped.write(high * 16 + low);
                i += 2;
            } else {
                flush(escaped, decoded, key);
                decoded.append(c == '+' ? ' ' : c);
            }
        }
        flush(escaped, decoded, key);
        return decoded.toString();
    }

    /** Appends a run of percent-escaped bytes, which must be whole UTF-8. */
    private static void flush(ByteArrayOutputStream escaped, StringBuilder decoded, String key) {
        if (escaped.size() == 0) {
            return;
        }
        try {
            decoded.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(escaped.toByteArray())));
        } catch (CharacterCodingException e) {
            throw invalid(key);
        }
        escaped.reset();
    }

    private static RegistryException invalid(String key) {
        return new RegistryException(ErrorCode.UNSUPPORTED, "The query parameter " + key + " is not valid percent-encoded UTF-8.")
                .withStatus(400);
    }
}
