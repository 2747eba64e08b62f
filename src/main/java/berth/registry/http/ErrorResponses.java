package berth.registry.http;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one translation of a refusal into HTTP: the status its {@link RegistryException} carries
 * and the OCI error body {@code {"errors":[{"code","message","detail"}]}}.
 */
final class ErrorResponses {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, RegistryException refusal) throws IOException {
        if (response.isCommitted()) {
            return; // the status line is out; the client sees a broken body and retries
        }
        response.resetBuffer();
        response.setStatus(refusal.status());
        if (refusal instanceof TokenCheck.Refusal unauthorized) {
            response.setHeader("WWW-Authenticate", unauthorized.challenge());
        }
        writeJson(request, response, refusal.body());
    }

    /** A registry fault: 500 with the spec's {@code UNKNOWN}, and nothing of the cause. */
    static void writeServerError(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(500);
        writeJson(request, response, RegistryException.errorBody(ErrorCode.UNKNOWN,
                "The registry failed to handle the request; it is logged.", null));
    }

    static void writeJson(HttpServletRequest request, HttpServletResponse response, Object body) throws IOException {
        writeJson(request, response, body, "application/json; charset=utf-8");
    }

    static void writeJson(HttpServletRequest request, HttpServletResponse response, Object body, String contentType) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(bytes);
        }
    }
}
