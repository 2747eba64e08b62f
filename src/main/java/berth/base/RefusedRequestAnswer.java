package berth.base;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A module's answer, in its own error format, to a request on its paths that the web server
 * refused before any servlet saw it (see {@link RefusedRequests}).
 */
public interface RefusedRequestAnswer {

    /** Whether requests to {@code path} (as sent, still %-encoded) are this module's to answer. */
    boolean claims(String path);

    /**
     * Writes the answer with {@code status}, the web server's. {@code invalidPath}: the path itself
     * was refused (an encoded NUL, a backslash, a malformed %-escape); otherwise the request as a
     * whole was (its headers too large, say).
     */
    void write(HttpServletRequest request, HttpServletResponse response, int status, boolean invalidPath) throws IOException;
}
