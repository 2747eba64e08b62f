package berth.oci;

/**
 * The error codes of the OCI Distribution Specification (and the few CNCF Distribution adds
 * that clients know), each with the HTTP status the spec gives it. This table is the one place that
 * decides which status a refusal gets.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /**
     * Not in the OCI list; CNCF Distribution answers an out-of-order chunk with it, and Berth also a
     * blob range that lies outside the blob, where the spec asks for 416 but names no code.
     */
    RANGE_INVALID(416, "invalid content range"),
    /** Not in the OCI list; CNCF Distribution answers a bad {@code n} with it. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** A fault of the registry, never of the client's input. */
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** The spec's short description, used when a refusal has no better sentence. */
    public String message() {
        return message;
    }
}
