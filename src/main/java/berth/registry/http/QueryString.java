package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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

    /**
     * {@link URLDecoder} turns bytes that are not UTF-8 into U+FFFD without a word; decoding the
     * escapes as Latin-1 keeps one char per byte, and the bytes are then read as UTF-8 strictly.
     */
    private static String decode(String text, String key) {
        try {
            byte[] bytes = URLDecoder.decode(text, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "The query parameter " + key + " is not valid percent-encoded UTF-8.")
                    .withStatus(400);
        }
    }
}
