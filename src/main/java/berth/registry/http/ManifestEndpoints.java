package berth.registry.http;

import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.Manifest;
import berth.oci.MediaTypes;
import berth.oci.Reference;
import berth.oci.RegistryEvent;
import berth.oci.RegistryException;
import berth.oci.Tag;
import berth.registry.content.Manifests;
import berth.registry.content.Manifests.StoredManifest;
import berth.registry.content.ProtectedTagRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@code GET}, {@code HEAD}, {@code PUT} and {@code DELETE} of {@code /v2/<name>/manifests/<reference>}. */
@Component
record ManifestEndpoints(Manifests manifests, RegistryEvents events) {

    void get(Exchange exchange) throws IOException {
        Reference reference = Reference.parse(exchange.parameter("reference"));
        // A client that holds this manifest already (If-None-Match with its digest) gets a 304: the
        // manifest is not read, and it is not a pull - as in CNCF Distribution.
        Digest digest = manifests.digestOf(exchange.name(), reference);
        if (exchange.ifNoneMatchNames(digest)) {
            return;
        }
        StoredManifest manifest = manifests.read(exchange.name(), reference, digest);
        List<String> accepted = accepted(exchange);
        if (reference instanceof Reference.ByTag && MediaTypes.DOCKER_MANIFEST_LIST.equals(manifest.mediaType())
                && !accepts(accepted, MediaTypes.DOCKER_MANIFEST_LIST)) {
            // As CNCF Distribution: a client from before manifest lists asks by tag for an image manifest
            // only, and gets the list's linux/amd64 image - the one image such a client could run.
            Optional<Digest> image = Manifest.childFor(manifest.content(), "linux", "amd64");
            if (image.isPresent()) {
                manifest = manifests.read(exchange.name(), new Reference.ByDigest(image.get()), image.get());
            }
        }
        if (!accepts(accepted, manifest.mediaType())) {
            // As CNCF Distribution: a client that cannot read this type does not get it.
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "Manifest " + reference + " is a " + manifest.mediaType()
                    + ", which the request's Accept header does not list.", Map.of("mediaType", manifest.mediaType()));
        }
        var response = exchange.response;
        response.setStatus(200);
        response.setContentType(manifest.mediaType());
        response.setContentLengthLong(manifest.size());
        response.setHeader("Docker-Content-Digest", manifest.digest().toString());
        response.setHeader("ETag", "\"" + manifest.digest() + "\"");
        if (!exchange.isHead()) {
            // The pull happened when it was answered, not when the event is made after the bytes went out
            // (by then the client may be on its next request; pull times order retention's "most recently pulled").
            Instant answeredAt = events.now();
            response.getOutputStream().write(manifest.content());
            exchange.bytesOut += manifest.size();
            events.publish(RegistryEvent.Action.PULL, target(manifest, exchange, reference), exchange, answeredAt);
        }
    }

    void put(Exchange exchange) throws IOException {
        Reference reference = Reference.parse(exchange.parameter("reference"));
        long declared = exchange.request.getContentLengthLong();
        if (declared > Manifest.MAX_BYTES) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "The manifest has " + declared
                    + " bytes; at most " + Manifest.MAX_BYTES + " (4 MiB) are accepted.").withStatus(413);
        }
        byte[] content;
        try (InputStream body = exchange.body()) {
            content = body.readNBytes(Manifest.MAX_BYTES + 1);
        }
        StoredManifest stored;
        try {
            stored = manifests.put(exchange.name(), reference, content, exchange.request.getContentType());
        } catch (ProtectedTagRefusal refusal) {
            events.refused("PUSH", refusal, null, exchange);
            throw refusal;
        }
        // Durable before the 201: a crash after the client's success must not lose the catalog's, audit's and webhooks' event.
        events.publish(RegistryEvent.Action.PUSH, target(stored, exchange, reference), exchange);
        var response = exchange.response;
        response.setStatus(201);
        response.setHeader("Location", "/v2/" + exchange.name() + "/manifests/" + stored.digest());
        response.setHeader("Docker-Content-Digest", stored.digest().toString());
        if (stored.subject() != null) {
            response.setHeader("OCI-Subject", stored.subject().toString());
        }
        response.setContentLength(0);
    }

    void delete(Exchange exchange) throws IOException {
        Reference reference = Reference.parse(exchange.parameter("reference"));
        Manifests.Deletion deletion;
        try {
            deletion = manifests.delete(exchange.name(), reference);
        } catch (ProtectedTagRefusal refusal) {
            Digest byDigest = reference instanceof Reference.ByDigest(Digest d) ? d : null;
            events.refused(byDigest == null ? "DELETE_TAG" : "DELETE_MANIFEST", refusal, byDigest, exchange);
            throw refusal;
        }
        Digest digest = deletion.digest();
        for (Tag tag : deletion.tags()) {
            events.publish(RegistryEvent.Action.DELETE, new RegistryEvent.Target(null,
                    digest == null ? null : digest.toString(), 0, exchange.name().value(), tag.value()), exchange);
        }
        if (reference instanceof Reference.ByDigest(Digest deleted)) {
            events.publish(RegistryEvent.Action.DELETE, new RegistryEvent.Target(deletion.mediaType(), deleted.toString(), 0,
                    exchange.name().value(), null), exchange);
        }
        exchange.response.setStatus(202);
        exchange.response.setContentLength(0);
    }

    private static RegistryEvent.Target target(StoredManifest manifest, Exchange exchange, Reference reference) {
        String tag = reference instanceof Reference.ByTag(Tag t) ? t.value() : null;
        return new RegistryEvent.Target(manifest.mediaType(), manifest.digest().toString(), manifest.size(),
                exchange.name().value(), tag);
    }

    /** Whether a request with these {@code Accept} types takes {@code mediaType}; no Accept header takes anything. */
    private static boolean accepts(List<String> accepted, String mediaType) {
        return accepted.isEmpty() || accepted.contains(mediaType) || accepted.contains("*/*") || accepted.contains("application/*");
    }

    /** Media types of the {@code Accept} headers, without parameters. */
    private static List<String> accepted(Exchange exchange) {
        List<String> types = new ArrayList<>();
        for (String header : Collections.list(exchange.request.getHeaders("Accept"))) {
            for (String part : header.split(",")) {
                String type = Manifest.baseType(part);
                if (!type.isEmpty()) {
                    types.add(type);
                }
            }
        }
        return types;
    }
}
