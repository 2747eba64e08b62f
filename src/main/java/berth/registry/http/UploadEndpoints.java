package berth.registry.http;

import berth.base.BerthSettings;
import berth.oci.Access;
import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryEvent;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.registry.content.Blobs;
import berth.registry.content.Uploads;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (a session, a monolithic upload with
 * {@code ?digest=}, or a cross-repository mount with {@code ?mount=&from=}) and {@code GET},
 * {@code PATCH}, {@code PUT}, {@code DELETE} of {@code /v2/<name>/blobs/uploads/<uuid>}.
 */
@Component
record UploadEndpoints(Uploads uploads, Blobs blobs, RegistryEvents events, RegistryMetrics metrics, BerthSettings settings) {

    void start(Exchange exchange) throws IOException {
        RepositoryName name = exchange.name();
        String mount = exchange.query("mount");
        String from = exchange.query("from");
        if (mount != null && from != null && mounted(exchange, Digest.parse(mount), from)) {
            return;
        }
        // A mount that cannot be done falls back to a session, as the spec asks, even when the
        // client also named the digest: it sent no body to finish a monolithic upload with.
        String digest = mount != null ? null : exchange.query("digest");
        Uploads.Status session = uploads.start(name);
        if (digest != null) {
            Digest expected = Digest.parse(digest);
            try (InputStream body = exchange.body()) {
                created(exchange, uploads.complete(name, session.id(), expected, body, null));
            } catch (RuntimeException | IOException e) {
                uploads.discard(name, session.id()); // an upload nobody can continue
                throw e;
            }
            return;
        }
        accepted(exchange, session, 202);
    }

    void status(Exchange exchange) throws IOException {
        UUID id = Uploads.parseId(exchange.parameter("uuid"));
        accepted(exchange, uploads.status(exchange.name(), id), 204);
    }

    void append(Exchange exchange) throws IOException {
        UUID id = Uploads.parseId(exchange.parameter("uuid"));
        Long start = contentRangeStart(exchange);
        try (InputStream body = exchange.body()) {
            accepted(exchange, uploads.append(exchange.name(), id, body, start), 202);
        } catch (RegistryException e) {
            if (e.status() == 416) {
                exchange.response.setHeader("Location", location(exchange.name(), id));
                exchange.response.setHeader("Range", range(uploads.status(exchange.name(), id).size()));
                exchange.response.setHeader("Docker-Upload-UUID", id.toString());
            }
            throw e;
        }
    }

    void complete(Exchange exchange) throws IOException {
        UUID id = Uploads.parseId(exchange.parameter("uuid"));
        String digest = exchange.query("digest");
        if (digest == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "Finishing an upload needs ?digest=<digest of the whole blob>.");
        }
        Digest expected = Digest.parse(digest);
        Long start = contentRangeStart(exchange);
        if (exchange.hasBody()) {
            try (InputStream body = exchange.body()) {
                created(exchange, uploads.complete(exchange.name(), id, expected, body, start));
            }
        } else {
            created(exchange, uploads.complete(exchange.name(), id, expected, null, null));
        }
    }

    void cancel(Exchange exchange) throws IOException {
        UUID id = Uploads.parseId(exchange.parameter("uuid"));
        uploads.cancel(exchange.name(), id);
        exchange.response.setStatus(204);
        exchange.response.setContentLength(0);
    }

    /**
     * Links the blob of another repository, if the token may pull from there and the blob is
     * there; otherwise the caller opens an ordinary session, as the spec says.
     */
    private boolean mounted(Exchange exchange, Digest digest, String fromText) throws IOException {
        RepositoryName from;
        try {
            from = RepositoryName.parse(fromText, settings.registryHost());
        } catch (RegistryException e) {
            return false;
        }
        if (!exchange.token().allows(Access.REPOSITORY, from.value(), Access.PULL) || !blobs.mount(from, exchange.name(), digest)) {
            return false;
        }
        long size = blobs.sizeOf(digest).orElse(0L);
        events.publish(RegistryEvent.Action.MOUNT, new RegistryEvent.Target("application/octet-stream", digest.toString(), size,
                exchange.name().value(), null), exchange);
        created(exchange, digest);
        return true;
    }

    private void created(Exchange exchange, Uploads.Completed blob) {
        blob.took().ifPresent(metrics::uploaded);
        created(exchange, blob.digest());
    }

    private void created(Exchange exchange, Digest digest) {
        var response = exchange.response;
        response.setStatus(201);
        response.setHeader("Location", "/v2/" + exchange.name() + "/blobs/" + digest);
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setContentLength(0);
    }

    private void accepted(Exchange exchange, Uploads.Status session, int status) {
        var response = exchange.response;
        response.setStatus(status);
        response.setHeader("Location", location(exchange.name(), session.id()));
        response.setHeader("Range", range(session.size()));
        response.setHeader("Docker-Upload-UUID", session.id().toString());
        response.setContentLength(0);
    }

    private static String location(RepositoryName name, UUID id) {
        return "/v2/" + name + "/blobs/uploads/" + id;
    }

    /** Distribution's (inclusive, and for an empty upload ambiguous) {@code 0-<last byte>}. */
    private static String range(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    private static @Nullable Long contentRangeStart(Exchange exchange) {
        ContentRange range = ContentRange.parse(exchange.request.getHeader("Content-Range"));
        if (range == null) {
            return null;
        }
        long length = exchange.request.getContentLengthLong();
        if (length >= 0 && length != range.length()) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range covers " + range.length()
                    + " bytes but Content-Length is " + length + ".");
        }
        return range.start();
    }
}
