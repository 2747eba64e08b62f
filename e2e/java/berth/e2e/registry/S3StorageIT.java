package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.PostgresServer;
import berth.testing.S3ProxyServer;
import berth.testing.ScratchDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Berth instances (separate JVMs) on different ports sharing one PostgreSQL database and one S3
 * bucket (S3Proxy), as behind a load balancer: skopeo pushes through one and pulls byte-identical
 * content through the other, and a chunked upload begun on one is finished on the other. The second
 * redirects blob GETs to presigned bucket URLs ({@code berth.storage.s3.redirect}); the first does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageIT {

    private static final String PROJECT = "shared";
    private static final String PREFIX = "berth-root";
    private static final String ADMIN = BerthApi.ADMIN_EMAIL;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;
    private Path bucketDirectory;
    private BerthProcess first;
    private BerthProcess second;
    private String appkey;

    @BeforeAll
    void twoInstancesOnOneDatabaseAndOneBucket() throws Exception {
        TestImages.requireTools();
        work = ScratchDirectories.create("berth-s3-it");
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("berth-it");
        bucketDirectory = s3.directory().resolve(bucket);
        String database = PostgresServer.get().newDatabase("berth_s3_it");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        List<String> shared = new ArrayList<>(List.of("--spring.profiles.include=postgres",
                "--spring.datasource.url=" + database, "--spring.datasource.username=berth", "--spring.datasource.password=",
                "--berth.secret-key=" + Base64.getEncoder().encodeToString(secret)));
        shared.addAll(s3.berthArguments(bucket, PREFIX));
        // One after the other: the first creates the schema, the second finds it.
        first = BerthProcess.start(FreePorts.next(), work.resolve("data-1"), work.resolve("berth-1.log"), shared);
        // The second also sends blob GETs to presigned URLs of the bucket; the first serves them itself (the default).
        List<String> redirecting = new ArrayList<>(shared);
        redirecting.add("--berth.storage.s3.redirect=true");
        second = BerthProcess.start(FreePorts.next(), work.resolve("data-2"), work.resolve("berth-2.log"), redirecting);
        BerthApi api = new BerthApi(first.port());
        api.createProject(ADMIN, BerthApi.ADMIN_PASSWORD, PROJECT);
        appkey = api.appkey(ADMIN, BerthApi.ADMIN_PASSWORD, PROJECT);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void skopeo_pushes_through_one_instance_and_the_other_serves_it_and_lists_it_in_its_catalog() throws Exception {
        Image image = TestImages.withFiles(work, "1.0", Map.of("hello.txt", "hello from the bucket\n"));
        Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN + ":" + appkey, image.oci(),
                "docker://127.0.0.1:" + first.port() + "/" + PROJECT + "/app:1.0")).requireSuccess("skopeo push to the first instance");

        Path pulled = work.resolve("pulled");
        Tools.run(Tools.skopeo("copy", "--src-tls-verify=false", "--src-creds", ADMIN + ":" + appkey,
                "docker://127.0.0.1:" + second.port() + "/" + PROJECT + "/app:1.0", "oci:" + pulled + ":pulled"))
                .requireSuccess("skopeo pull from the second instance");
        assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(image.layout(), image.tag()));
        String layer = TestImages.contentOf(image.layout(), image.tag()).keySet().stream().filter(k -> k.startsWith("sha256:"))
                .filter(k -> !k.equals(TestImages.manifestDigest(image.layout(), image.tag()))).findFirst().orElseThrow();
        assertThat(blobStatus(second, PROJECT + "/app", layer)).isEqualTo(307);
        assertThat(blobStatus(first, PROJECT + "/app", layer)).isEqualTo(200);
        // The push reached the first instance's catalog through its own event; the second reads the same database.
        String digest = TestImages.manifestDigest(image.layout(), image.tag());
        BerthApi second = new BerthApi(this.second.port());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        BerthApi.Reply details = second.get("/api/v1/projects/" + PROJECT + "/repositories/app/tags/1.0", ADMIN, BerthApi.ADMIN_PASSWORD);
        while (details.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            details = second.get("/api/v1/projects/" + PROJECT + "/repositories/app/tags/1.0", ADMIN, BerthApi.ADMIN_PASSWORD);
        }
        assertThat(details.status()).as("the tag pushed through the first instance, read through the second").isEqualTo(200);
        assertThat(details.json().at("/tag/digest").asString()).isEqualTo(digest);
        // Where CNCF Distribution's S3 driver with rootdirectory=/berth-root looks for the tag.
        assertThat(bucketDirectory.resolve(PREFIX + "/docker/registry/v2/repositories/" + PROJECT + "/app/_manifests/tags/1.0/current/link"))
                .hasContent(TestImages.manifestDigest(image.layout(), image.tag()));
    }

    @Test
    void a_chunked_upload_begun_on_one_instance_is_finished_on_the_other() throws Exception {
        String repository = PROJECT + "/chunked";
        String token = token(first, repository);
        byte[] blob = new byte[7 * 1024 * 1024 + 123];
        new Random(42).nextBytes(blob);
        int firstChunk = 6 * 1024 * 1024;

        HttpResponse<String> started = send(first, "POST", "/v2/" + repository + "/blobs/uploads/", token, null, null);
        assertThat(started.statusCode()).isEqualTo(202);
        String upload = pathOf(started.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> chunk = send(first, "PATCH", upload, token, Arrays.copyOfRange(blob, 0, firstChunk), "0-" + (firstChunk - 1));
        assertThat(chunk.statusCode()).as(chunk.body()).isEqualTo(202);
        upload = pathOf(chunk.headers().firstValue("Location").orElseThrow());

        // The other instance knows the session from the bucket alone, and accepts the first one's token.
        HttpResponse<String> status = send(second, "GET", upload, token, null, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-" + (firstChunk - 1));

        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        String finish = upload + (upload.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<String> finished = send(second, "PUT", finish, token, Arrays.copyOfRange(blob, firstChunk, blob.length),
                firstChunk + "-" + (blob.length - 1));
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);

        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(base(first) + "/v2/" + repository + "/blobs/" + digest))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(blob);
    }

    private int blobStatus(BerthProcess berth, String repository, String digest) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(berth) + "/v2/" + repository + "/blobs/" + digest))
                .header("Authorization", "Bearer " + token(berth, repository)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String token(BerthProcess berth, String repository) {
        BerthApi.Reply reply = new BerthApi(berth.port()).token(ADMIN, appkey,
                "service=berth-registry&scope=repository:" + repository + ":pull,push");
        assertThat(reply.status()).isEqualTo(200);
        return reply.text("token");
    }

    private HttpResponse<String> send(BerthProcess berth, String method, String path, String token, byte[] body, String range)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(berth) + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/octet-stream");
        }
        if (range != null) {
            request.header("Content-Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(BerthProcess berth) {
        return "http://127.0.0.1:" + berth.port();
    }

    /** Path and query of a Location, so the next request can go to either instance. */
    private static String pathOf(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
