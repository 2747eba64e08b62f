package berth.e2e.catalog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Berth's REST API as a script sees it: HTTP Basic with an email and console password. */
public final class BerthApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    public BerthApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A status and, when there is one, the JSON body. */
    public record Reply(int status, JsonNode body, String text) {
    }

    public Reply get(String path, String email, String password) {
        return send(request(path, email, password).GET());
    }

    public Reply delete(String path, String email, String password) {
        return send(request(path, email, password).DELETE());
    }

    public Reply post(String path, String email, String password) {
        return send(request(path, email, password).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A POST with any headers and body, no Basic credentials (the registry's notifications). */
    public Reply postRaw(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    private HttpRequest.Builder request(String path, String email, String password) {
        String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/json");
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body;
            try {
                body = text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            } catch (RuntimeException notJson) {
                body = JSON.missingNode();
            }
            return new Reply(response.statusCode(), body, text);
        } catch (IOException e) {
            throw new AssertionError("request to Berth failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
