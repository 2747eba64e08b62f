package berth.e2e.registry;

import berth.e2e.registry.RegistryHttp.Reply;
import berth.oci.RegistryEvent;
import berth.testing.BerthApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCI Distribution API spoken by hand against the embedded registry: every workflow, every
 * refusal in the spec's format, and no client input that makes the registry fail.
 */
class RegistryProtocolIT extends EmbeddedRegistryTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private final RegistryHttp registry = new RegistryHttp(baseUrl());

    /** Every RegistryEvent the application published, from whichever thread (a request's, not the test's). */
    private static final Events events = new Events();

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    berth.registry.content.AbandonedUploads abandonedUploads;

    @BeforeEach
    void listenToRegistryEvents() {
        events.listenTo(context);
    }

    static final class Events {
        private final List<RegistryEvent> received = new CopyOnWriteArrayList<>();
        private ConfigurableApplicationContext listening;

        synchronized void listenTo(ConfigurableApplicationContext context) {
            if (listening != context) {
                context.addApplicationListener((ApplicationListener<ApplicationEvent>) event -> {
                    if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof RegistryEvent registryEvent) {
                        received.add(registryEvent);
                    }
                });
                listening = context;
            }
        }

        void clear() {
            received.clear();
        }

        <T> Stream<RegistryEvent> stream(Class<T> type) {
            return received.stream();
        }
    }

    @Test
    void the_base_endpoint_challenges_without_a_token_and_answers_with_one() {
        Reply anonymous = registry.get("/v2/", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"" + baseUrl() + "/auth/token\",service=\"" + tokens.service() + "\"");
        assertThat(anonymous.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");

        String genuine = token("proto/a", "pull");
        int at = genuine.length() - 10;
        String forgedToken = genuine.substring(0, at) + (genuine.charAt(at) == 'A' ? 'B' : 'A') + genuine.substring(at + 1);
        Reply forged = registry.get("/v2/", forgedToken);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

        assertThat(registry.get("/v2/", token("proto/a", "pull")).status()).isEqualTo(200);
        Reply head = registry.send("HEAD", "/v2/", token("proto/a", "pull"), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(registry.send("HEAD", "/v2/", null, null).header("WWW-Authenticate")).startsWith("Bearer realm=");
    }

    @Test
    void a_method_an_endpoint_does_not_have_is_405_with_the_methods_it_has() {
        Reply reply = registry.send("PUT", "/v2/proto/a/tags/list", token("proto/a", "pull", "push"), new byte[0]);
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.errorCode()).isEqualTo("UNSUPPORTED");
        assertThat(reply.header("Allow")).isEqualTo("GET");
        assertThat(registry.send("POST", "/v2/proto/a/manifests/v1", token("proto/a", "pull", "push"), new byte[0]).header("Allow"))
                .isEqualTo("DELETE, GET, HEAD, PUT");
    }

    @Test
    void a_token_with_only_pull_cannot_push_and_the_challenge_names_the_missing_scope() {
        Reply reply = registry.send("POST", "/v2/proto/readonly/blobs/uploads/", token("proto/readonly", "pull"), null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(reply.header("WWW-Authenticate")).contains("scope=\"repository:proto/readonly:pull,push\"")
                .contains("error=\"insufficient_scope\"");
        assertThat(Files.exists(STORAGE_ROOT.resolve("docker/registry/v2/repositories/proto/readonly"))).isFalse();
    }

    @Test
    void a_chunked_upload_enforces_order_reports_progress_and_serves_the_verified_blob() {
        String token = token("proto/chunks", "pull", "push");
        byte[] content = "0123456789abcdefghijKLMNOPQRST".getBytes(StandardCharsets.US_ASCII);

        Reply started = registry.send("POST", "/v2/proto/chunks/blobs/uploads/", token, null);
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.header("Range")).isEqualTo("0-0");
        assertThat(started.header("Docker-Upload-UUID")).isNotEmpty();
        String location = registry.absolute(started.header("Location"));
        assertThat(location).contains("/v2/proto/chunks/blobs/uploads/" + started.header("Docker-Upload-UUID"));

        Reply first = registry.send("PATCH", location, token, Arrays.copyOfRange(content, 0, 10),
                "Content-Range", "0-9", "Content-Type", "application/octet-stream");
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Range")).isEqualTo("0-9");

        Reply outOfOrder = registry.send("PATCH", location, token, Arrays.copyOfRange(content, 15, 20),
                "Content-Range", "15-19", "Content-Type", "application/octet-stream");
        assertThat(outOfOrder.status()).isEqualTo(416);
        assertThat(outOfOrder.errorCode()).isEqualTo("RANGE_INVALID");
        assertThat(outOfOrder.header("Range")).isEqualTo("0-9");

        Reply longerThanItsBody = registry.send("PATCH", location, token, Arrays.copyOfRange(content, 10, 15),
                "Content-Range", "10-19", "Content-Type", "application/octet-stream");
        assertThat(longerThanItsBody.status()).isEqualTo(416);
        assertThat(longerThanItsBody.errorCode()).isEqualTo("RANGE_INVALID");
        assertThat(longerThanItsBody.errorMessage()).contains("Content-Length is 5");

        Reply status = registry.get(location, token);
        assertThat(status.status()).isEqualTo(204);
        assertThat(status.header("Range")).isEqualTo("0-9");

        // Without Content-Range, as docker and skopeo stream.
        Reply streamed = registry.send("PATCH", location, token, Arrays.copyOfRange(content, 10, 20), "Content-Type", "application/octet-stream");
        assertThat(streamed.status()).isEqualTo(202);
        assertThat(streamed.header("Range")).isEqualTo("0-19");

        String digest = RegistryHttp.sha256(content);
        Reply finished = registry.send("PUT", registry.absolute(streamed.header("Location")) + "?digest=" + digest, token,
                Arrays.copyOfRange(content, 20, 30), "Content-Range", "20-29", "Content-Type", "application/octet-stream");
        assertThat(finished.status()).as(finished.text()).isEqualTo(201);
        assertThat(finished.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(finished.header("Location")).endsWith("/v2/proto/chunks/blobs/" + digest);

        Reply blob = registry.get("/v2/proto/chunks/blobs/" + digest, token);
        assertThat(blob.status()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(content);
        assertThat(blob.header("Docker-Content-Digest")).isEqualTo(digest);

        Reply range = registry.get("/v2/proto/chunks/blobs/" + digest, token, "Range", "bytes=10-19");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
        assertThat(range.header("Content-Range")).isEqualTo("bytes 10-19/30");
        Reply outside = registry.get("/v2/proto/chunks/blobs/" + digest, token, "Range", "bytes=40-50");
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.errorCode()).isEqualTo("RANGE_INVALID");
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */30");

        Reply head = registry.send("HEAD", "/v2/proto/chunks/blobs/" + digest, token, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("30");
        assertThat(registry.get(location, token).errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void a_blob_reads_the_same_over_loopback_and_over_a_network_address() throws Exception {
        // Berth copies blobs to clients on loopback itself and hands them to sendfile for everyone else:
        // both ways must give the same bytes, ranges and headers. 3 MiB spans several of the copy's chunks.
        String token = token("proto/ways", "pull", "push");
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(content);
        String digest = RegistryHttp.sha256(content);
        assertThat(registry.send("POST", "/v2/proto/ways/blobs/uploads/?digest=" + digest, token, content,
                "Content-Type", "application/octet-stream").status()).isEqualTo(201);

        String network = java.net.NetworkInterface.networkInterfaces()
                .filter(nic -> { try { return nic.isUp() && !nic.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(address -> address instanceof java.net.Inet4Address)
                .map(java.net.InetAddress::getHostAddress)
                .findFirst()
                .orElseThrow(() -> new AssertionError("this test needs a network interface besides loopback (an address like eth0's)"));
        String port = baseUrl().substring(baseUrl().lastIndexOf(':') + 1);
        for (RegistryHttp way : List.of(registry, new RegistryHttp("http://" + network + ":" + port))) {
            Reply whole = way.get("/v2/proto/ways/blobs/" + digest, token);
            assertThat(whole.status()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(content);
            assertThat(whole.header("Content-Length")).isEqualTo(String.valueOf(content.length));
            assertThat(whole.header("Docker-Content-Digest")).isEqualTo(digest);
            assertThat(whole.header("X-Content-Type-Options")).isEqualTo("nosniff"); // the security filters' headers went out too

            Reply range = way.get("/v2/proto/ways/blobs/" + digest, token, "Range", "bytes=1048570-2097160");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 1048570, 2097161));
            assertThat(range.header("Content-Range")).isEqualTo("bytes 1048570-2097160/" + content.length);
        }
    }

    @Test
    void a_blob_that_fails_in_storage_half_way_cuts_the_connection_instead_of_leaving_the_client_waiting() throws Exception {
        // Once a 200 with its Content-Length is out, a storage failure (here: the file shrinks under the
        // reader, as a dropped S3 connection would) can only be told by closing the connection. A kept-alive
        // connection would leave the client waiting for bytes that never come.
        String token = token("proto/shrinking", "pull", "push");
        byte[] content = new byte[32 * 1024 * 1024];
        new java.util.Random(7).nextBytes(content);
        String digest = RegistryHttp.sha256(content);
        assertThat(registry.send("POST", "/v2/proto/shrinking/blobs/uploads/?digest=" + digest, token, content,
                "Content-Type", "application/octet-stream").status()).isEqualTo(201);
        Path data = STORAGE_ROOT.resolve("docker/registry/v2/blobs/sha256/" + digest.substring(7, 9) + "/" + digest.substring(7) + "/data");
        assertThat(data).hasSize(content.length);

        URI address = URI.create(baseUrl());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.setReceiveBufferSize(64 * 1024); // so Berth is still writing when the file shrinks
            socket.getOutputStream().write(("GET /v2/proto/shrinking/blobs/" + digest + " HTTP/1.1\r\nHost: " + address.getAuthority()
                    + "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            var in = socket.getInputStream();
            byte[] first = in.readNBytes(1024 * 1024);
            String head = new String(first, 0, 2048, StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + content.length);

            try (var shrink = java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.WRITE)) {
                shrink.truncate(2 * 1024 * 1024);
            }
            long received = first.length;
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    received += read;
                }
            } catch (java.net.SocketTimeoutException waiting) {
                throw new AssertionError("the connection stayed open after the body could not be finished", waiting);
            } catch (java.net.SocketException reset) {
                // a reset is as clear a cut as an orderly close
            }
            assertThat(received).as("bytes before the connection closed").isLessThan(content.length);
        }
    }

    @Test
    void prometheus_counts_registry_requests_by_route_and_status_bytes_and_whole_uploads() {
        double uploadsBefore = api.metric("berth_registry_uploads_seconds_count", "");
        double bytesInBefore = api.metric("berth_registry_bytes_total", "direction=\"in\"");
        String token = token("proto/metered", "pull", "push");
        byte[] content = "metered blob".getBytes(StandardCharsets.US_ASCII);
        Reply pushed = registry.send("POST", "/v2/proto/metered/blobs/uploads/?digest=" + RegistryHttp.sha256(content), token, content,
                "Content-Type", "application/octet-stream");
        assertThat(pushed.status()).isEqualTo(201);
        assertThat(registry.get("/v2/proto/metered/blobs/" + RegistryHttp.sha256(content), token).status()).isEqualTo(200);

        assertThat(api.metric("berth_registry_uploads_seconds_count", "")).isEqualTo(uploadsBefore + 1);
        assertThat(api.metric("berth_registry_bytes_total", "direction=\"in\"")).isGreaterThanOrEqualTo(bytesInBefore + content.length);
        assertThat(api.metric("berth_registry_requests_seconds_count", "status=\"201\"")).isPositive();
        assertThat(api.metric("berth_registry_bytes_total", "direction=\"out\"")).isGreaterThanOrEqualTo(content.length);
    }

    @Test
    void an_upload_can_be_cancelled() {
        String token = token("proto/cancel", "pull", "push");
        Reply started = registry.send("POST", "/v2/proto/cancel/blobs/uploads/", token, null);
        String location = registry.absolute(started.header("Location"));
        assertThat(registry.send("DELETE", location, token, null).status()).isEqualTo(204);
        Reply gone = registry.get(location, token);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_sessions_abandoned_longer_than_the_purge_age_are_removed_and_fresh_ones_kept() throws IOException {
        String token = token("proto/purge", "pull", "push");
        String abandoned = registry.absolute(registry.send("POST", "/v2/proto/purge/blobs/uploads/", token, null).header("Location"));
        assertThat(registry.send("PATCH", abandoned, token, "half a layer".getBytes(StandardCharsets.US_ASCII),
                "Content-Type", "application/octet-stream").status()).isEqualTo(202);
        String fresh = registry.absolute(registry.send("POST", "/v2/proto/purge/blobs/uploads/", token, null).header("Location"));
        // As if the client had died eight days ago: the session's start, as CNCF Distribution records it too.
        String id = abandoned.replaceAll(".*/uploads/([0-9a-f-]{36}).*", "$1");
        Path session = STORAGE_ROOT.resolve("docker/registry/v2/repositories/proto/purge/_uploads").resolve(id);
        Files.writeString(session.resolve("startedat"), java.time.Instant.now().minus(java.time.Duration.ofDays(8)).toString());

        assertThat(abandonedUploads.purge()).isGreaterThanOrEqualTo(1);

        assertThat(session).doesNotExist();
        assertThat(registry.get(abandoned, token).errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        Reply kept = registry.get(fresh, token);
        assertThat(kept.status()).isEqualTo(204);
        assertThat(kept.header("Range")).isEqualTo("0-0");
    }

    @Test
    void a_digest_mismatch_is_digest_invalid_and_leaves_nothing_visible() throws IOException {
        String token = token("proto/mismatch", "pull", "push");
        byte[] content = "what was really sent".getBytes(StandardCharsets.UTF_8);
        String claimed = RegistryHttp.sha256("something else".getBytes(StandardCharsets.UTF_8));

        Reply monolithic = registry.send("POST", "/v2/proto/mismatch/blobs/uploads/?digest=" + claimed, token, content);
        assertThat(monolithic.status()).isEqualTo(400);
        assertThat(monolithic.errorCode()).isEqualTo("DIGEST_INVALID");

        Reply started = registry.send("POST", "/v2/proto/mismatch/blobs/uploads/", token, null);
        String location = registry.absolute(started.header("Location"));
        Reply finished = registry.send("PUT", location + "?digest=" + claimed, token, content);
        assertThat(finished.status()).isEqualTo(400);
        assertThat(finished.errorCode()).isEqualTo("DIGEST_INVALID");

        for (String digest : List.of(claimed, RegistryHttp.sha256(content))) {
            assertThat(registry.send("HEAD", "/v2/proto/mismatch/blobs/" + digest, token, null).status()).isEqualTo(404);
            String hex = digest.substring("sha256:".length());
            assertThat(STORAGE_ROOT.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex)).doesNotExist();
        }
        assertThat(registry.get(location, token).errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        try (Stream<Path> uploads = Files.list(STORAGE_ROOT.resolve("docker/registry/v2/repositories/proto/mismatch/_uploads"))) {
            assertThat(uploads).isEmpty();
        }
    }

    @Test
    void blobs_and_manifests_addressed_by_sha512_are_stored_served_and_catalogued() throws Exception {
        project("sha");
        String token = token("sha/big", "pull", "push");
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = "a layer addressed by sha512".getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            String digest = sha512(blob);
            Reply pushed = registry.send("POST", "/v2/sha/big/blobs/uploads/?digest=" + digest, token, blob,
                    "Content-Type", "application/octet-stream");
            assertThat(pushed.status()).as(pushed.text()).isEqualTo(201);
            assertThat(pushed.header("Docker-Content-Digest")).isEqualTo(digest);
            Reply served = registry.get("/v2/sha/big/blobs/" + digest, token);
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(blob);
            String hex = digest.substring("sha512:".length());
            assertThat(STORAGE_ROOT.resolve("docker/registry/v2/blobs/sha512/" + hex.substring(0, 2) + "/" + hex + "/data")).exists();
        }
        byte[] manifest = RegistryHttp.imageManifest(sha512(config), config.length, sha512(layer), layer.length, null);
        String byDigest = sha512(manifest);
        Reply put = registry.putManifest("sha/big", byDigest, OCI_MANIFEST, manifest, token);
        assertThat(put.status()).as(put.text()).isEqualTo(201);
        assertThat(put.header("Docker-Content-Digest")).isEqualTo(byDigest);
        Reply tagged = registry.putManifest("sha/big", "v1", OCI_MANIFEST, manifest, token);
        assertThat(tagged.status()).as(tagged.text()).isEqualTo(201);
        Reply served = registry.get("/v2/sha/big/manifests/" + byDigest, token, "Accept", RegistryHttp.ACCEPT_ALL);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(manifest);

        // The catalog records the tag with its sha512 config and layer, as it does sha256 ones.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            BerthApi.Reply details = api.get("/api/v1/projects/sha/repositories/big/tags/v1", ADMIN, ADMIN_PASSWORD);
            if (details.status() == 200) {
                assertThat(details.raw()).contains(sha512(layer));
                break;
            }
            assertThat(Instant.now()).as("the catalog never showed sha/big:v1: " + details.raw()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static String sha512(byte[] content) throws java.security.NoSuchAlgorithmException {
        return "sha512:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(content));
    }

    @Test
    void a_manifest_naming_a_missing_blob_is_manifest_blob_unknown_and_not_tagged() {
        String token = token("proto/missing", "pull", "push");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = registry.pushBlob("proto/missing", config, token);
        String absent = RegistryHttp.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
        byte[] manifest = RegistryHttp.imageManifest(configDigest, config.length, absent, 12, null);

        Reply reply = registry.putManifest("proto/missing", "v1", OCI_MANIFEST, manifest, token);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(reply.text()).contains(absent);
        assertThat(registry.get("/v2/proto/missing/manifests/v1", token, "Accept", RegistryHttp.ACCEPT_ALL).errorCode())
                .isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void malformed_manifests_are_manifest_invalid() {
        String token = token("proto/malformed", "pull", "push");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = registry.pushBlob("proto/malformed", config, token);
        byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
        String layerDigest = registry.pushBlob("proto/malformed", layer, token);
        byte[] valid = RegistryHttp.imageManifest(configDigest, config.length, layerDigest, layer.length, null);

        Map<String, byte[]> cases = Map.of(
                "not json", "{\"schemaVersion\": 2, ".getBytes(StandardCharsets.UTF_8),
                "an array", "[]".getBytes(StandardCharsets.UTF_8),
                "schema 1", "{\"schemaVersion\":1,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "no config", ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"layers\":[]}").getBytes(StandardCharsets.UTF_8),
                "bad layer digest", new String(valid, StandardCharsets.UTF_8).replace(layerDigest, "sha256:XYZ").getBytes(StandardCharsets.UTF_8),
                "negative size", new String(valid, StandardCharsets.UTF_8).replace("\"size\":" + layer.length, "\"size\":-1").getBytes(StandardCharsets.UTF_8));
        cases.forEach((why, body) -> {
            Reply reply = registry.putManifest("proto/malformed", "bad", OCI_MANIFEST, body, token);
            assertThat(reply.status()).as(why).isEqualTo(400);
            assertThat(reply.errorCode()).as(why).isEqualTo("MANIFEST_INVALID");
        });

        Reply mismatch = registry.putManifest("proto/malformed", "bad", "application/vnd.docker.distribution.manifest.v2+json", valid, token);
        assertThat(mismatch.errorCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(mismatch.errorMessage()).contains("Content-Type");

        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        Reply tooLarge = registry.putManifest("proto/malformed", "bad", OCI_MANIFEST, huge, token);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("MANIFEST_INVALID");

        Reply wrongDigest = registry.putManifest("proto/malformed", RegistryHttp.sha256(config), OCI_MANIFEST, valid, token);
        assertThat(wrongDigest.errorCode()).isEqualTo("DIGEST_INVALID");

        assertThat(registry.putManifest("proto/malformed", "good", OCI_MANIFEST, valid, token).status()).isEqualTo(201);
    }

    @Test
    void uppercase_and_over_long_names_and_tags_are_refused_with_the_rule() {
        String upper = registry.get("/v2/Proto/App/tags/list", token("Proto/App", "pull")).text();
        assertThat(upper).contains("NAME_INVALID").contains("lowercase");

        // 255 characters including the registry address "127.0.0.1:<port>/".
        String longName = "proto/" + "a".repeat(255 - address().length() - 1 - "proto/".length() + 1);
        Reply tooLong = registry.get("/v2/" + longName + "/tags/list", token(longName, "pull"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errorCode()).isEqualTo("NAME_INVALID");
        assertThat(tooLong.errorMessage()).contains("255").contains(address());
        String longest = longName.substring(1);
        assertThat(registry.get("/v2/" + longest + "/tags/list", token(longest, "pull")).errorCode()).isEqualTo("NAME_UNKNOWN");

        String token = token("proto/tags", "pull", "push");
        Reply longTag = registry.putManifest("proto/tags", "t".repeat(130), OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8), token);
        assertThat(longTag.status()).isEqualTo(400);
        assertThat(longTag.errorCode()).isEqualTo("TAG_INVALID");
        assertThat(longTag.errorMessage()).contains("129");
        assertThat(registry.putManifest("proto/tags", "-starts-with-dash", OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8), token)
                .errorCode()).isEqualTo("TAG_INVALID");
        assertThat(registry.get("/v2/proto/bad__name_/tags/list", token("proto/bad__name_", "pull")).errorCode()).isEqualTo("NAME_INVALID");
    }

    @Test
    void path_tricks_are_refused_before_storage_is_touched() throws IOException {
        String token = token("proto/app", "pull", "push", "delete");
        List<String> listingBefore = storageTree();
        // Climbing above the root Tomcat refuses itself, before any servlet or filter: a bare 400.
        assertThat(registry.send("GET", "/v2/proto/../../../etc/manifests/latest", token, null).status()).isEqualTo(400);
        List<String> paths = List.of(
                "/v2/proto/../etc/manifests/latest",
                "/v2/proto/%2e%2e/%2e%2e/etc/manifests/latest",
                "/v2/proto%2f..%2fx/manifests/latest",
                "/v2/proto/%2E%2E/tags/list",
                "/v2//etc/passwd/manifests/latest",
                "/v2/proto/app/manifests/..",
                "/v2/proto/app/manifests/%2e%2e%2f%2e%2e%2fx",
                "/v2/proto/app/blobs/uploads/..%2f..%2f..%2fx",
                "/v2/proto/./app/tags/list",
                "/v2/proto;x=1/app/tags/list");
        for (String path : paths) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                Reply reply = registry.send(method, path, token, "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(reply.status()).as(method + " " + path).isEqualTo(400);
                assertThat(reply.errorCode()).as(method + " " + path + ": " + reply.text()).isEqualTo("NAME_INVALID");
            }
        }
        // An encoded NUL or backslash Tomcat refuses itself, before any servlet:
        // the answer is still the registry's NAME_INVALID, and nothing is stored.
        for (String path : List.of("/v2/proto/a%00b/manifests/x", "/v2/proto%5c..%5capp/tags/list")) {
            Reply reply = registry.send("PUT", path, token, new byte[1]);
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.errorCode()).as(path + ": " + reply.text()).isEqualTo("NAME_INVALID");
            assertThat(reply.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        }
        // A raw backslash, which no URI class sends: the same answer, not a container's plain-text page.
        for (String path : List.of("/v2/proto\\..\\app/tags/list", "/v2/proto/app/manifests/x\\y", "/v2/\\")) {
            Reply reply = registry.sendRaw("PUT", path, token, new byte[1]);
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.errorCode()).as(path + ": " + reply.text()).isEqualTo("NAME_INVALID");
            assertThat(reply.header("Content-Type")).as(path).startsWith("application/json");
        }
        assertThat(storageTree()).isEqualTo(listingBefore);
    }

    @Test
    void requests_refused_before_any_servlet_get_an_oci_error_on_v2_and_a_sentence_on_the_api() {
        String huge = "a".repeat(20_000);
        Reply registryReply = registry.send("GET", "/v2/", token("proto/huge", "pull"), null, "X-Padding", huge);
        assertThat(registryReply.status()).isEqualTo(400);
        assertThat(registryReply.errorCode()).as(registryReply.text()).isEqualTo("UNSUPPORTED");
        assertThat(registryReply.header("Content-Type")).startsWith("application/json");

        BerthApi.Reply apiReply = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/projects"))
                .header("X-Padding", huge).GET());
        assertThat(apiReply.status()).isEqualTo(400);
        assertThat(apiReply.text("error")).isEqualTo("invalid_request");
        assertThat(apiReply.text("message")).contains("size of its headers");
        BerthApi.Reply nul = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/projects/a%00b")).GET());
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.text("message")).startsWith("The address is not valid");
        assertThat(nul.raw()).doesNotContain("<html");
        Reply backslash = registry.sendRaw("GET", "/api/v1/projects/a\\b", null, null);
        assertThat(backslash.status()).isEqualTo(400);
        assertThat(backslash.header("Content-Type")).startsWith("application/json");
        assertThat(backslash.json().path("error").asString("")).as(backslash.text()).isEqualTo("invalid_request");
        assertThat(backslash.json().path("message").asString("")).startsWith("The address is not valid");
        // Spring Security's firewall: an encoded slash on the API is a 400 in the API's words, not the console's login page.
        BerthApi.Reply slash = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/projects/a%2Fb"))
                .header("Authorization", BerthApi.basic(ADMIN, ADMIN_PASSWORD)).GET());
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.text("error")).isEqualTo("invalid_request");
        assertThat(slash.text("message")).contains("encoded slash");
    }

    @Test
    void no_client_input_makes_the_registry_answer_5xx() {
        String token = token("proto/sweep", "pull", "push", "delete");
        registry.pushImage("proto/sweep", "v1", "sweep", token);
        String uuid = "00000000-0000-0000-0000-000000000000";
        List<String> paths = List.of("/v2", "/v2/", "/v2/_catalog?n=-1", "/v2/_catalog?n=abc", "/v2/_catalog?n=99999999999",
                "/v2/proto/sweep", "/v2/proto/sweep/tags/list?n=x", "/v2/proto/sweep/tags/list?last=%ff",
                "/v2/proto/sweep/manifests/", "/v2/proto/sweep/manifests/sha256:", "/v2/proto/sweep/manifests/sha256:abc",
                "/v2/proto/sweep/manifests/md5:0123", "/v2/proto/sweep/manifests/v1", "/v2/proto/sweep/manifests/" + "x".repeat(5000),
                "/v2/proto/sweep/blobs/sha256:" + "0".repeat(64), "/v2/proto/sweep/blobs/nope", "/v2/proto/sweep/blobs/uploads/",
                "/v2/proto/sweep/blobs/uploads/" + uuid, "/v2/proto/sweep/blobs/uploads/not-a-uuid",
                "/v2/proto/sweep/blobs/uploads/?digest=sha256:zz", "/v2/proto/sweep/blobs/uploads/?mount=sha256:zz&from=UP",
                "/v2/proto/sweep/blobs/uploads/?mount=sha256:" + "1".repeat(64) + "&from=proto/other",
                "/v2/proto/sweep/referrers/sha256:", "/v2/proto/sweep/referrers/v1", "/v2/" + "a/".repeat(200) + "manifests/x",
                "/v2/_catalog/x", "/v2/proto/sweep/blobs/uploads/" + uuid + "?digest=sha256:" + "2".repeat(64));
        List<String> methods = List.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS");
        List<String[]> headerSets = List.of(new String[0],
                new String[] {"Content-Range", "garbage", "Range", "bytes=zz"},
                new String[] {"Content-Range", "5-1", "Content-Type", "text/plain", "Accept", "*/*;q=x"},
                new String[] {"Content-Range", "99999999999999999999-1", "Range", "bytes=-99999999999999999999"});
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            for (String method : methods) {
                for (String[] headers : headerSets) {
                    byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? null : "{\"schemaVersion\":2".getBytes(StandardCharsets.UTF_8);
                    Reply reply = registry.send(method, path, token, body, headers);
                    if (reply.status() >= 500) {
                        failures.add(method + " " + path + " " + String.join(",", headers) + " -> " + reply.status() + " " + reply.text());
                    }
                    if (reply.status() >= 400 && !method.equals("HEAD") && reply.body().length > 0 && reply.errorCode().isEmpty()) {
                        failures.add(method + " " + path + " -> " + reply.status() + " without an OCI error body: " + reply.text());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void a_pushed_manifest_is_served_by_tag_and_digest_byte_for_byte_with_its_digest_and_events() {
        events.clear();
        String token = token("proto/app", "pull", "push");
        byte[] manifest = registry.pushImage("proto/app", "1.0", "app layer", token);
        String digest = RegistryHttp.sha256(manifest);

        for (String reference : List.of("1.0", digest)) {
            Reply reply = registry.get("/v2/proto/app/manifests/" + reference, token, "Accept", RegistryHttp.ACCEPT_ALL);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(manifest);
            assertThat(reply.header("Docker-Content-Digest")).isEqualTo(digest);
            assertThat(reply.header("Content-Type")).isEqualTo(OCI_MANIFEST);
            Reply head = registry.send("HEAD", "/v2/proto/app/manifests/" + reference, token, null, "Accept", RegistryHttp.ACCEPT_ALL);
            assertThat(head.header("Docker-Content-Digest")).isEqualTo(digest);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(manifest.length));
        }
        Reply dockerOnly = registry.get("/v2/proto/app/manifests/1.0", token, "Accept", "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(dockerOnly.errorCode()).isEqualTo("MANIFEST_UNKNOWN");

        List<RegistryEvent> published = events.stream(RegistryEvent.class).filter(e -> e.target().repository().equals("proto/app")).toList();
        assertThat(published).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(RegistryEvent.Action.PUSH);
            assertThat(e.target().tag()).isEqualTo("1.0");
            assertThat(e.target().digest()).isEqualTo(digest);
            assertThat(e.target().mediaType()).isEqualTo(OCI_MANIFEST);
            assertThat(e.target().size()).isEqualTo(manifest.length);
            assertThat(e.actorName()).isEqualTo(ADMIN);
            assertThat(e.requestAddress()).isEqualTo("127.0.0.1");
        });
        // The test's own two GETs; the catalog reading the pushed manifest is a pull by its own subject.
        assertThat(published).filteredOn(e -> e.action() == RegistryEvent.Action.PULL && ADMIN.equals(e.actorName())).hasSize(2);
    }

    @Test
    void a_client_holding_the_digest_gets_304_without_a_body_and_without_a_pull() {
        String token = token("proto/cached", "pull", "push");
        byte[] manifest = registry.pushImage("proto/cached", "v1", "cached layer", token);
        String digest = RegistryHttp.sha256(manifest);
        String config = RegistryHttp.JSON.readTree(manifest).get("config").get("digest").asString();
        events.clear();

        for (String held : List.of("\"" + digest + "\"", digest, "W/\"" + digest + "\"", "\"sha256:0000\", \"" + digest + "\"", "*")) {
            Reply notModified = registry.get("/v2/proto/cached/manifests/v1", token, "Accept", RegistryHttp.ACCEPT_ALL, "If-None-Match", held);
            assertThat(notModified.status()).as(held).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            assertThat(notModified.header("Docker-Content-Digest")).isEqualTo(digest);
            assertThat(notModified.header("ETag")).isEqualTo("\"" + digest + "\"");
        }
        Reply moved = registry.get("/v2/proto/cached/manifests/v1", token, "Accept", RegistryHttp.ACCEPT_ALL,
                "If-None-Match", "\"sha256:" + "0".repeat(64) + "\"");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.body()).isEqualTo(manifest);
        Reply blob = registry.get("/v2/proto/cached/blobs/" + config, token, "If-None-Match", "\"" + config + "\"");
        assertThat(blob.status()).isEqualTo(304);
        assertThat(blob.body()).isEmpty();
        assertThat(blob.header("Cache-Control")).isEqualTo("max-age=31536000");
        // "*" in quotes is an entity tag like any other, not the wildcard.
        assertThat(registry.get("/v2/proto/cached/blobs/" + config, token, "If-None-Match", "\"*\"").status()).isEqualTo(200);
        // A 304 says nothing about a tag that does not exist.
        assertThat(registry.get("/v2/proto/cached/manifests/v2", token, "Accept", RegistryHttp.ACCEPT_ALL, "If-None-Match", "*").status())
                .isEqualTo(404);

        assertThat(events.stream(RegistryEvent.class).filter(e -> e.target().repository().equals("proto/cached")))
                .as("only the one GET that sent the manifest is a pull")
                .filteredOn(e -> e.action() == RegistryEvent.Action.PULL && ADMIN.equals(e.actorName()))
                .hasSize(1);
    }

    @Test
    void deleting_a_tag_removes_only_that_tag_and_deleting_a_digest_removes_the_manifest_and_its_tags() {
        events.clear();
        String token = token(ADMIN, List.of("proto/deletions"), "pull", "push", "delete");
        byte[] manifest = registry.pushImage("proto/deletions", "a", "deletions", token);
        String digest = RegistryHttp.sha256(manifest);
        assertThat(registry.putManifest("proto/deletions", "b", OCI_MANIFEST, manifest, token).status()).isEqualTo(201);
        assertThat(registry.putManifest("proto/deletions", "c", OCI_MANIFEST, manifest, token).status()).isEqualTo(201);

        assertThat(registry.send("DELETE", "/v2/proto/deletions/manifests/a", token, null).status()).isEqualTo(202);
        assertThat(registry.get("/v2/proto/deletions/manifests/a", token, "Accept", OCI_MANIFEST).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/proto/deletions/manifests/b", token, "Accept", OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(registry.get("/v2/proto/deletions/manifests/" + digest, token, "Accept", OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(registry.get("/v2/proto/deletions/tags/list", token).json().path("tags").toString()).isEqualTo("[\"b\",\"c\"]");
        assertThat(events.stream(RegistryEvent.class)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(RegistryEvent.Action.DELETE);
            assertThat(e.target().tag()).isEqualTo("a");
            assertThat(e.isManifest()).isTrue();
        });

        assertThat(registry.send("DELETE", "/v2/proto/deletions/manifests/" + digest, token, null).status()).isEqualTo(202);
        assertThat(registry.get("/v2/proto/deletions/manifests/" + digest, token, "Accept", OCI_MANIFEST).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/proto/deletions/manifests/b", token, "Accept", OCI_MANIFEST).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/proto/deletions/tags/list", token).json().path("tags").toString()).isEqualTo("[]");
        assertThat(registry.send("DELETE", "/v2/proto/deletions/manifests/a", token, null).errorCode()).isEqualTo("MANIFEST_UNKNOWN");

        String pullOnly = token("proto/deletions", "pull", "push");
        assertThat(registry.send("DELETE", "/v2/proto/deletions/manifests/zz", pullOnly, null).header("WWW-Authenticate"))
                .contains("scope=\"repository:proto/deletions:delete\"");
    }

    @Test
    void a_blob_can_be_deleted_from_a_repository() {
        String token = token("proto/blobdel", "pull", "push", "delete");
        String digest = registry.pushBlob("proto/blobdel", "to delete".getBytes(StandardCharsets.UTF_8), token);
        assertThat(registry.send("DELETE", "/v2/proto/blobdel/blobs/" + digest, token, null).status()).isEqualTo(202);
        assertThat(registry.send("HEAD", "/v2/proto/blobdel/blobs/" + digest, token, null).status()).isEqualTo(404);
        assertThat(registry.get("/v2/proto/blobdel/blobs/" + digest, token).errorCode()).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void tags_are_listed_sorted_and_paginated_with_a_link() {
        String token = token("proto/paged", "pull", "push");
        byte[] manifest = registry.pushImage("proto/paged", "b", "paged", token);
        for (String tag : List.of("d", "a", "c", "e")) {
            registry.putManifest("proto/paged", tag, OCI_MANIFEST, manifest, token);
        }
        Reply all = registry.get("/v2/proto/paged/tags/list", token);
        assertThat(all.json().path("name").asString()).isEqualTo("proto/paged");
        assertThat(all.json().path("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\",\"e\"]");

        Reply page = registry.get("/v2/proto/paged/tags/list?n=2", token);
        assertThat(page.json().path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(page.header("Link")).isEqualTo("</v2/proto/paged/tags/list?last=b&n=2>; rel=\"next\"");
        Reply next = registry.get("/v2/proto/paged/tags/list?last=b&n=2", token);
        assertThat(next.json().path("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        Reply last = registry.get("/v2/proto/paged/tags/list?last=d&n=2", token);
        assertThat(last.json().path("tags").toString()).isEqualTo("[\"e\"]");
        assertThat(last.header("Link")).isEmpty();
        // Query parameters are decoded as UTF-8 (an encoded name works), and a bad one is named.
        Reply encoded = registry.get("/v2/proto/paged/tags/list?last=%62&n=%32", token);
        assertThat(encoded.json().path("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        Reply badLast = registry.get("/v2/proto/paged/tags/list?n=2&last=%ff", token);
        assertThat(badLast.status()).isEqualTo(400);
        assertThat(badLast.errorMessage()).contains("parameter last ");
        assertThat(registry.get("/v2/proto/nothing-here/tags/list", token("proto/nothing-here", "pull")).errorCode()).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void the_catalog_lists_only_what_the_holder_may_pull_and_paginates() {
        project("seen");
        project("unseen");
        String viewer = "catalog-viewer@example.test";
        api.createAccount(viewer, "viewer-password");
        api.putMember("seen", viewer, "MEMBER");
        String adminToken = token(ADMIN, List.of("seen/one", "seen/two", "unseen/three"), "pull", "push");
        for (String repository : List.of("seen/one", "seen/two", "unseen/three")) {
            registry.pushImage(repository, "v1", repository, adminToken);
        }
        String catalog = tokens.issue(viewer, List.of(berth.oci.Access.catalog())).token();
        Reply visible = registry.get("/v2/_catalog", catalog);
        assertThat(visible.status()).isEqualTo(200);
        assertThat(visible.json().path("repositories").toString()).isEqualTo("[\"seen/one\",\"seen/two\"]");

        Reply noCatalogScope = registry.get("/v2/_catalog", token(viewer, List.of("seen/one"), "pull"));
        assertThat(noCatalogScope.status()).isEqualTo(401);
        assertThat(noCatalogScope.header("WWW-Authenticate")).contains("scope=\"registry:catalog:*\"");

        String adminCatalog = tokens.issue(ADMIN, List.of(berth.oci.Access.catalog())).token();
        List<String> walked = new ArrayList<>();
        String next = "/v2/_catalog?n=2";
        while (next != null) {
            Reply page = registry.get(next, adminCatalog);
            assertThat(page.json().path("repositories").size()).isLessThanOrEqualTo(2);
            page.json().path("repositories").forEach(r -> walked.add(r.asString()));
            String link = page.header("Link");
            next = link.isEmpty() ? null : link.substring(1, link.indexOf('>'));
        }
        assertThat(walked).contains("seen/one", "seen/two", "unseen/three").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void a_blob_is_mounted_across_repositories_only_where_the_token_may_pull() {
        events.clear();
        String token = token(ADMIN, List.of("proto/source", "proto/target"), "pull", "push");
        String digest = registry.pushBlob("proto/source", "shared layer".getBytes(StandardCharsets.UTF_8), token);

        Reply mounted = registry.send("POST", "/v2/proto/target/blobs/uploads/?mount=" + digest + "&from=proto/source", token, null);
        assertThat(mounted.status()).isEqualTo(201);
        assertThat(mounted.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get("/v2/proto/target/blobs/" + digest, token).text()).isEqualTo("shared layer");
        assertThat(events.stream(RegistryEvent.class)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(RegistryEvent.Action.MOUNT);
            assertThat(e.target().repository()).isEqualTo("proto/target");
        });

        String noSourceAccess = token(ADMIN, List.of("proto/elsewhere"), "pull", "push");
        Reply session = registry.send("POST", "/v2/proto/elsewhere/blobs/uploads/?mount=" + digest + "&from=proto/source", noSourceAccess, null);
        assertThat(session.status()).isEqualTo(202);
        assertThat(session.header("Docker-Upload-UUID")).isNotEmpty();
        assertThat(registry.send("HEAD", "/v2/proto/elsewhere/blobs/" + digest, noSourceAccess, null).status()).isEqualTo(404);

        // Naming the digest too changes nothing: no body came to finish an upload with, so it is a session as well.
        Reply withDigest = registry.send("POST", "/v2/proto/elsewhere/blobs/uploads/?mount=" + digest + "&from=proto/source&digest=" + digest,
                noSourceAccess, null);
        assertThat(withDigest.status()).as(withDigest.text()).isEqualTo(202);
        assertThat(withDigest.header("Docker-Upload-UUID")).isNotEmpty();
    }

    /** Issue 23, protocol details: without the source's pull in the challenge, a client's token could never mount. */
    @Test
    void the_challenge_of_a_cross_repository_mount_asks_for_pull_on_the_source_too() {
        String digest = "sha256:" + "2".repeat(64);
        Reply challenged = registry.send("POST", "/v2/proto/target/blobs/uploads/?mount=" + digest + "&from=proto/source", null, null);
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.header("WWW-Authenticate"))
                .contains("scope=\"repository:proto/target:pull,push repository:proto/source:pull\"");

        String pushOnly = token(ADMIN, List.of("proto/target"), "pull", "push");
        Reply insufficient = registry.send("POST", "/v2/proto/target/blobs/uploads/", pushOnly, null);
        assertThat(insufficient.status()).as("an ordinary upload still needs no more").isEqualTo(202);
        Reply plain = registry.send("POST", "/v2/proto/target/blobs/uploads/", null, null);
        assertThat(plain.header("WWW-Authenticate")).contains("scope=\"repository:proto/target:pull,push\"").doesNotContain("proto/source");
    }

    @Test
    void a_body_sent_as_a_form_is_uploaded_byte_for_byte() {
        // curl --data-binary sends application/x-www-form-urlencoded unless told otherwise; the bytes are a blob all the same.
        String token = token("proto/form", "pull", "push");
        byte[] text = "a=b&c=d".getBytes(StandardCharsets.US_ASCII);
        byte[] binary = new byte[] {0, (byte) 0xff, '%', 'z', '=', '&', (byte) 0x80, 10};
        String form = "application/x-www-form-urlencoded";

        Reply started = registry.send("POST", "/v2/proto/form/blobs/uploads/", token, null);
        String location = registry.absolute(started.header("Location"));
        Reply first = registry.send("PATCH", location, token, text, "Content-Type", form);
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        assertThat(first.header("Range")).isEqualTo("0-" + (text.length - 1));
        Reply second = registry.send("PATCH", registry.absolute(first.header("Location")), token, binary, "Content-Type", form);
        assertThat(second.status()).as(second.text()).isEqualTo(202);
        assertThat(second.header("Range")).isEqualTo("0-" + (text.length + binary.length - 1));
        byte[] last = "&e=f".getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[text.length + binary.length + last.length];
        System.arraycopy(text, 0, whole, 0, text.length);
        System.arraycopy(binary, 0, whole, text.length, binary.length);
        System.arraycopy(last, 0, whole, text.length + binary.length, last.length);
        String digest = RegistryHttp.sha256(whole);
        Reply finished = registry.send("PUT", registry.absolute(second.header("Location")) + "?digest=" + digest, token, last, "Content-Type", form);
        assertThat(finished.status()).as(finished.text()).isEqualTo(201);
        assertThat(registry.get("/v2/proto/form/blobs/" + digest, token).body()).isEqualTo(whole);

        byte[] monolithic = "x=1&y=2&monolithic".getBytes(StandardCharsets.US_ASCII);
        String monolithicDigest = RegistryHttp.sha256(monolithic);
        Reply posted = registry.send("POST", "/v2/proto/form/blobs/uploads/?digest=" + monolithicDigest, token, monolithic, "Content-Type", form);
        assertThat(posted.status()).as(posted.text()).isEqualTo(201);
        assertThat(registry.get("/v2/proto/form/blobs/" + monolithicDigest, token).body()).isEqualTo(monolithic);
    }

    @Test
    void an_index_needs_its_child_manifests_and_is_served_as_an_index() {
        String token = token("proto/multi", "pull", "push");
        byte[] amd64 = registry.pushImage("proto/multi", "amd64", "amd64 layer", token);
        String child = RegistryHttp.sha256(amd64);
        String absent = RegistryHttp.sha256("no such manifest".getBytes(StandardCharsets.UTF_8));
        byte[] missing = RegistryHttp.JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", List.of(
                Map.of("mediaType", OCI_MANIFEST, "digest", absent, "size", 10))));
        assertThat(registry.putManifest("proto/multi", "latest", OCI_INDEX, missing, token).errorCode()).isEqualTo("MANIFEST_BLOB_UNKNOWN");

        byte[] index = RegistryHttp.JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", List.of(
                Map.of("mediaType", OCI_MANIFEST, "digest", child, "size", amd64.length,
                        "platform", Map.of("architecture", "amd64", "os", "linux")))));
        assertThat(registry.putManifest("proto/multi", "latest", OCI_INDEX, index, token).status()).isEqualTo(201);
        Reply served = registry.get("/v2/proto/multi/manifests/latest", token, "Accept", RegistryHttp.ACCEPT_ALL);
        assertThat(served.header("Content-Type")).isEqualTo(OCI_INDEX);
        assertThat(served.body()).isEqualTo(index);
    }

    @Test
    void a_client_without_manifest_lists_gets_the_linux_amd64_image_of_a_tagged_list_as_from_distribution() {
        String token = token("proto/legacy", "pull", "push");
        String schema2 = "application/vnd.docker.distribution.manifest.v2+json";
        String list = "application/vnd.docker.distribution.manifest.list.v2+json";
        byte[] arm64 = pushDockerImage("proto/legacy", "arm64", token);
        byte[] amd64 = pushDockerImage("proto/legacy", "amd64", token);
        byte[] both = RegistryHttp.JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", list, "manifests", List.of(
                Map.of("mediaType", schema2, "digest", RegistryHttp.sha256(arm64), "size", arm64.length,
                        "platform", Map.of("architecture", "arm64", "os", "linux")),
                Map.of("mediaType", schema2, "digest", RegistryHttp.sha256(amd64), "size", amd64.length,
                        "platform", Map.of("architecture", "amd64", "os", "linux")))));
        assertThat(registry.putManifest("proto/legacy", "multi", list, both, token).status()).isEqualTo(201);
        byte[] armOnly = RegistryHttp.JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", list, "manifests", List.of(
                Map.of("mediaType", schema2, "digest", RegistryHttp.sha256(arm64), "size", arm64.length,
                        "platform", Map.of("architecture", "arm64", "os", "linux")))));
        assertThat(registry.putManifest("proto/legacy", "arm", list, armOnly, token).status()).isEqualTo(201);

        for (String method : List.of("GET", "HEAD")) {
            Reply legacy = registry.send(method, "/v2/proto/legacy/manifests/multi", token, null, "Accept", schema2);
            assertThat(legacy.status()).as(method).isEqualTo(200);
            assertThat(legacy.header("Content-Type")).isEqualTo(schema2);
            assertThat(legacy.header("Docker-Content-Digest")).isEqualTo(RegistryHttp.sha256(amd64));
            assertThat(legacy.header("Content-Length")).isEqualTo(Integer.toString(amd64.length));
        }
        assertThat(registry.get("/v2/proto/legacy/manifests/multi", token, "Accept", schema2).body()).isEqualTo(amd64);
        assertThat(registry.get("/v2/proto/legacy/manifests/multi", token, "Accept", RegistryHttp.ACCEPT_ALL).body()).isEqualTo(both);
        assertThat(registry.get("/v2/proto/legacy/manifests/multi", token).body()).isEqualTo(both);
        // Only by tag, and only when the list has a linux/amd64 image.
        assertThat(registry.get("/v2/proto/legacy/manifests/" + RegistryHttp.sha256(both), token, "Accept", schema2).errorCode())
                .isEqualTo("MANIFEST_UNKNOWN");
        assertThat(registry.get("/v2/proto/legacy/manifests/arm", token, "Accept", schema2).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
    }

    /** A Docker schema2 image (one layer, named after {@code architecture}) pushed by digest; its manifest bytes. */
    private byte[] pushDockerImage(String repository, String architecture, String token) {
        byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = (architecture + " layer").getBytes(StandardCharsets.UTF_8);
        String configDigest = registry.pushBlob(repository, config, token);
        String layerDigest = registry.pushBlob(repository, layer, token);
        byte[] manifest = RegistryHttp.JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
                "mediaType", "application/vnd.docker.distribution.manifest.v2+json",
                "config", Map.of("mediaType", "application/vnd.docker.container.image.v1+json", "digest", configDigest, "size", config.length),
                "layers", List.of(Map.of("mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest", layerDigest, "size", layer.length))));
        Reply pushed = registry.putManifest(repository, RegistryHttp.sha256(manifest), "application/vnd.docker.distribution.manifest.v2+json", manifest, token);
        assertThat(pushed.status()).as(pushed.text()).isEqualTo(201);
        return manifest;
    }

    @Test
    void an_artifact_with_a_subject_is_listed_by_the_referrers_api() {
        String token = token("proto/signed", "pull", "push");
        byte[] image = registry.pushImage("proto/signed", "v1", "signed image", token);
        String subject = RegistryHttp.sha256(image);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyDigest = registry.pushBlob("proto/signed", empty, token);
        byte[] signatureBlob = "signature".getBytes(StandardCharsets.UTF_8);
        String signatureDigest = registry.pushBlob("proto/signed", signatureBlob, token);
        byte[] signature = RegistryHttp.JSON.writeValueAsBytes(Map.of(
                "schemaVersion", 2, "mediaType", OCI_MANIFEST, "artifactType", "application/vnd.example.signature",
                "config", Map.of("mediaType", "application/vnd.oci.empty.v1+json", "digest", emptyDigest, "size", empty.length),
                "layers", List.of(Map.of("mediaType", "application/octet-stream", "digest", signatureDigest, "size", signatureBlob.length)),
                "subject", Map.of("mediaType", OCI_MANIFEST, "digest", subject, "size", image.length),
                "annotations", Map.of("org.example.signed-by", "tests")));
        String signatureManifest = RegistryHttp.sha256(signature);

        Reply pushed = registry.putManifest("proto/signed", signatureManifest, OCI_MANIFEST, signature, token);
        assertThat(pushed.status()).isEqualTo(201);
        assertThat(pushed.header("OCI-Subject")).isEqualTo(subject);

        Reply referrers = registry.get("/v2/proto/signed/referrers/" + subject, token);
        assertThat(referrers.status()).isEqualTo(200);
        assertThat(referrers.header("Content-Type")).isEqualTo(OCI_INDEX);
        assertThat(referrers.json().path("manifests")).hasSize(1);
        assertThat(referrers.json().path("manifests").path(0).path("digest").asString()).isEqualTo(signatureManifest);
        assertThat(referrers.json().path("manifests").path(0).path("artifactType").asString()).isEqualTo("application/vnd.example.signature");
        assertThat(referrers.json().path("manifests").path(0).path("annotations").path("org.example.signed-by").asString()).isEqualTo("tests");

        Reply filtered = registry.get("/v2/proto/signed/referrers/" + subject + "?artifactType=application/vnd.example.sbom", token);
        assertThat(filtered.header("OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(filtered.json().path("manifests")).isEmpty();
        assertThat(registry.get("/v2/proto/signed/referrers/sha256:nope", token).errorCode()).isEqualTo("DIGEST_INVALID");
    }

    private static List<String> storageTree() throws IOException {
        try (Stream<Path> tree = Files.walk(WORK)) {
            return tree.map(p -> WORK.relativize(p).toString()).filter(p -> !p.startsWith("data/db")).sorted().toList();
        }
    }
}
