package berth.e2e;

import berth.e2e.TestImages.Image;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth's own image ({@code target/berth-image.tar}, built by {@code ./mvnw verify} on the Debian Java base)
 * run the way operators run it, in a private Docker engine: {@code docker run} with a data directory and the
 * first administrator from the environment, the guide's login, push and pull through it, {@code docker stop},
 * and a second run on the same directory that still has everything. Then Berth pushes its own image into
 * itself with Jib, and the copy Docker pulls back by digest starts too. Cold starts (container start to
 * readiness UP) are printed. The steps build on each other, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageE2EIT {

    private static final String PROJECT = "ops";
    private static final int BERTH_UID = 1000;
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final String TAG_PATH = "/api/v1/projects/" + PROJECT + "/repositories/hello/tags/1.0";

    private final Path tarball = Path.of(System.getProperty("berth.image.tarball", "target/berth-image.tar"));
    private final String image = "berth:" + System.getProperty("berth.image.version", "0.1.0-SNAPSHOT");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port = FreePorts.next();
    private final BerthApi api = new BerthApi(port);
    private Dockerd dockerd;
    private Path work;
    private Path data;
    private String pushedDigest;

    @BeforeAll
    void engineWithBerthsImage() throws IOException {
        if (!Files.isRegularFile(tarball)) {
            throw new AssertionError("Berth's image " + tarball + " is missing: './mvnw verify' builds it (jib:buildTar in the "
                    + "package phase, on the Debian base that src/main/image/debian-base.sh makes with mmdebstrap).");
        }
        work = ScratchDirectories.create("berth-container-e2e");
        // As the README tells operators: a bind-mounted data directory belongs to the image's user.
        data = Files.createDirectory(work.resolve("data"));
        chown(data, BERTH_UID);
        dockerd = Dockerd.start();
        assertThat(dockerd.load(tarball)).contains("Loaded image: " + image);
    }

    @AfterAll
    void stopEngine() {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    @Test
    @Order(1)
    void berth_starts_from_the_image_as_uid_1000_and_serves_the_guide_to_the_docker_cli() throws Exception {
        start("berth", image, port, data, true);

        // The JVM itself, seen from the host, and everything it wrote in the data directory.
        String pid = dockerd.docker("inspect", "--format", "{{.State.Pid}}", "berth").requireSuccess("docker inspect").output().strip();
        String status = Files.readString(Path.of("/proc", pid, "status"));
        assertThat(status).containsPattern("(?m)^Uid:\\s+" + BERTH_UID + "\\s+" + BERTH_UID + "\\s");
        assertThat(Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ')).startsWith("java -XX:MaxRAMPercentage=75");
        try (var written = Files.list(data)) {
            assertThat(written.toList()).isNotEmpty().allSatisfy(path ->
                    assertThat(Files.getAttribute(path, "unix:uid")).as("owner of %s", path).isEqualTo(BERTH_UID));
        }
        assertThat(logs("berth")).contains("Started BerthApplication");

        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        dockerd.dockerWithInput(appkey, "login", "--username", ADMIN_EMAIL, "--password-stdin", address())
                .requireSuccess("docker login with email and Appkey");
        Image hello = TestImages.withFiles(work, "1.0", Map.of("hello.txt", "hello through the container\n"));
        String reference = address() + "/" + PROJECT + "/hello:1.0";
        dockerd.load(hello, reference);
        Matcher digest = PUSHED_DIGEST.matcher(dockerd.docker("push", reference).requireSuccess("docker push").output());
        assertThat(digest.find()).isTrue();
        pushedDigest = digest.group(1);
        dockerd.docker("rmi", reference).requireSuccess("docker rmi");
        dockerd.docker("pull", address() + "/" + PROJECT + "/hello@" + pushedDigest).requireSuccess("docker pull by digest");

        // The console's catalog takes the push from the registry's event, moments later.
        BerthApi.Reply tag = api.get(TAG_PATH, ADMIN_EMAIL, ADMIN_PASSWORD);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); tag.status() == 404 && System.nanoTime() < deadline; ) {
            Thread.sleep(200);
            tag = api.get(TAG_PATH, ADMIN_EMAIL, ADMIN_PASSWORD);
        }
        assertThat(tag.status()).as(tag.raw()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void docker_stop_ends_it_gracefully_with_status_0_within_10_seconds() {
        long started = System.nanoTime();
        dockerd.docker("stop", "--time", "10", "berth").requireSuccess("docker stop");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("Berth's container stopped in %.1f s%n", took.toMillis() / 1000.0);
        assertThat(dockerd.docker("inspect", "--format", "{{.State.ExitCode}}", "berth").requireSuccess("docker inspect").output().strip())
                .as("exit status; log:\n%s", logs("berth")).isEqualTo("0");
        // Within the stop timeout: docker would have sent SIGKILL at 10 s, and the status would be 137.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(logs("berth")).contains("Commencing graceful shutdown");
        dockerd.docker("rm", "berth").requireSuccess("docker rm");
    }

    @Test
    @Order(3)
    void a_second_container_on_the_same_directory_has_the_tag_and_the_administrator() throws Exception {
        // No administrator in the environment this time: the one from the first run signs in from the database.
        start("berth-again", image, port, data, false);
        assertThat(api.get("/api/v1/projects", ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200);
        // The registry has the tag...
        dockerd.docker("rmi", address() + "/" + PROJECT + "/hello@" + pushedDigest).requireSuccess("docker rmi");
        String pulled = dockerd.docker("pull", address() + "/" + PROJECT + "/hello:1.0").requireSuccess("docker pull by tag after the restart").output();
        assertThat(pulled).contains("Digest: " + pushedDigest);
        // ...and so has the catalog, which had it before the stop.
        BerthApi.Reply tag = api.get(TAG_PATH, ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(tag.status()).as(tag.raw()).isEqualTo(200);
        assertThat(tag.raw()).contains(pushedDigest);
    }

    @Test
    @Order(4)
    void berth_pushes_its_own_image_into_itself_with_jib_and_the_copy_pulled_back_by_digest_runs() throws Exception {
        String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT);
        // Jib refuses to send credentials over plain HTTP unless told it may.
        System.setProperty("sendCredentialsOverHttp", "true");
        JibContainer pushed = Jib.from(TarImage.at(tarball))
                .containerize(Containerizer.to(RegistryImage.named(address() + "/" + PROJECT + "/berth:self").addCredential(ADMIN_EMAIL, appkey))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("jib-base-cache"))
                        .setApplicationLayersCache(work.resolve("jib-application-cache")));
        String copy = address() + "/" + PROJECT + "/berth@" + pushed.getDigest();
        dockerd.docker("pull", copy).requireSuccess("docker pull of Berth's own image by digest");

        int copyPort = FreePorts.next();
        Path copyData = Files.createDirectory(work.resolve("copy-data"));
        chown(copyData, BERTH_UID);
        start("berth-copy", copy, copyPort, copyData, true);
        assertThat(new BerthApi(copyPort).get("/api/v1/projects", ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200);
        dockerd.docker("stop", "berth-copy").requireSuccess("docker stop of the copy");
    }

    /** {@code docker run -d} with the settings a container needs; waits for readiness and prints the cold start. */
    private void start(String name, String reference, int hostPort, Path dataDirectory, boolean bootstrapAdministrator) throws Exception {
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host",
                "--volume", dataDirectory + ":/var/lib/berth",
                // No bridge on this machine, so the container shares the host's network: a free port instead of 8080.
                "--env", "SERVER_PORT=" + hostPort,
                "--env", "BERTH_PUBLIC_URL=http://127.0.0.1:" + hostPort));
        if (bootstrapAdministrator) {
            run.addAll(List.of("--env", "BERTH_ADMIN_EMAIL=" + ADMIN_EMAIL, "--env", "BERTH_ADMIN_PASSWORD=" + ADMIN_PASSWORD));
        }
        run.add(reference);
        long started = System.nanoTime();
        dockerd.docker(run.toArray(String[]::new)).requireSuccess("docker run " + reference);
        long running = System.nanoTime();
        awaitReadiness(name, hostPort);
        long ready = System.nanoTime();
        String spring = logs(name).lines().filter(line -> line.contains("Started BerthApplication")).findFirst().orElse("");
        // The CPU the JVM used to get there does not depend on what else the machine runs; the wall time does.
        long pid = Long.parseLong(dockerd.docker("inspect", "--format", "{{.State.Pid}}", name).requireSuccess("docker inspect").output().strip());
        System.out.printf("Berth's container %s: cold start (docker run to readiness UP) %.1f s, of which docker run %.1f s;"
                        + " JVM CPU %.1f s; load average %s; Spring: %s%n", name, (ready - started) / 1e9, (running - started) / 1e9,
                ProcessCpu.seconds(pid), Files.readString(Path.of("/proc/loadavg")).split(" ")[0],
                spring.substring(Math.max(0, spring.indexOf("Started"))));
    }

    private void awaitReadiness(String name, int hostPort) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            String running = dockerd.docker("inspect", "--format", "{{.State.Running}}", name).output().strip();
            if (!running.equals("true")) {
                throw new AssertionError("Berth's container " + name + " stopped while starting:\n" + logs(name));
            }
            try {
                HttpResponse<String> response = http.send(readiness, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    assertThat(response.body()).contains("\"UP\"");
                    return;
                }
            } catch (IOException notListeningYet) {
                // the JVM is still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Berth's container " + name + " was not ready in " + READY_TIMEOUT.toMinutes() + " minutes:\n" + logs(name));
    }

    private String logs(String name) {
        return dockerd.docker("logs", name).output();
    }

    private String address() {
        return "127.0.0.1:" + port;
    }

    private static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", uid);
    }
}
