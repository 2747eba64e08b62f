package berth.registry.http;

import berth.auth.RegistryTokens.VerifiedToken;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One registry request on its way through: the servlet request and response, the path
 * parameters of its route, the parsed repository name, the verified token, and byte counts for
 * the metrics.
 */
final class Exchange {

    final HttpServletRequest request;
    final HttpServletResponse response;
    private final Map<String, String> parameters;
    private final @Nullable RepositoryName name;
    private @Nullable VerifiedToken token;
    private @Nullable Map<String, String> query;
    long bytesIn;
    long bytesOut;

    Exchange(HttpServletRequest request, HttpServletResponse response, Map<String, String> parameters, @Nullable RepositoryName name) {
        this.request = request;
        this.response = response;
        this.parameters = parameters;
        this.name = name;
    }

    RepositoryName name() {
        if (name == null) {
            throw new IllegalStateException("route has no repository name");
        }
        return name;
    }

    @Nullable RepositoryName nameOrNull() {
        return name;
    }

    String parameter(String key) {
        String value = parameters.get(key);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + key);
        }
        return value;
    }

    /**
     * A query parameter, read from the query string alone. {@code getParameter} would also read a
     * form-encoded body - and so swallow a blob chunk sent as curl's default
     * {@code application/x-www-form-urlencoded}.
     */
    @Nullable String query(String key) {
        if (query == null) {
            query = QueryString.parse(request.getQueryString());
        }
        return query.get(key);
    }

    boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    /**
     * Answers 304 Not Modified, and returns true, when the request's {@code If-None-Match} names
     * {@code digest} (the entity tag of every manifest and blob) or is {@code *}. Quoted, weak and
     * bare digests all match, as CNCF Distribution accepts them.
     */
    boolean ifNoneMatchNames(Digest digest) {
        var values = request.getHeaders("If-None-Match");
        if (values == null) {
            return false;
        }
        String wanted = digest.toString();
        while (values.hasMoreElements()) {
            for (String candidate : values.nextElement().split(",")) {
                String tag = candidate.trim();
                if (tag.startsWith("W/")) {
                    tag = tag.substring(2);
                }
                boolean any = tag.equals("*");
                if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                    tag = tag.substring(1, tag.length() - 1);
                }
                if (any || tag.equals(wanted)) {
                    response.setStatus(304);
                    response.setHeader("ETag", "\"" + wanted + "\"");
                    response.setHeader("Docker-Content-Digest", wanted);
                    return true;
                }
            }
        }
        return false;
    }

    void authenticated(VerifiedToken token) {
        this.token = token;
    }

    VerifiedToken token() {
        if (token == null) {
            throw new IllegalStateException("not authenticated");
        }
        return token;
    }

    /**
     * The request body. A client that breaks off mid-body is the client's fault: the read fails
     * as {@link ErrorCode#BLOB_UPLOAD_INVALID}, never as a server error.
     */
    InputStream body() throws IOException {
        return new FilterInputStream(request.getInputStream()) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                try {
                    int read = in.read(buffer, offset, length);
                    if (read > 0) {
                        bytesIn += read;
                    }
                    return read;
                } catch (IOException e) {
                    throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "The request body broke off before it was complete.");
                }
            }
        };
    }

    /** Whether the request carries a body (a length above zero, or chunked). */
    boolean hasBody() {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    String remoteAddress() {
        return request.getRemoteAddr();
    }
}
