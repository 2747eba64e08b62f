package berth.e2e;

import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.RandomText;
import berth.testing.ScratchDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 23, fuzzing: a bounded black-box fuzzer. A few thousand requests, each a valid request to
 * {@code /v2/}, {@code /auth/token} or {@code /api/v1} with its path, query, headers, body or method
 * mutated, sent byte for byte over a socket (so that what {@link java.net.URI} refuses gets sent
 * too), each from a loopback address of its own so the login throttle does not end the run early.
 * Fails on any 5xx, on a request that hangs, and on a stack trace in Berth's log. Bounded by count
 * ({@code -Dfuzz.requests}, 3,000) and by time ({@code -Dfuzz.seconds}, 60); the seed is printed.
 */
class BlackBoxFuzzIT {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 60));
    private static final String[] NASTY = {"%", "%zz", "%00", "%2e%2e", "%2F", "..", "//", "\\", ";", "?", "#", "%3F", " ", "\"",
            "{", "é", "한", "A", "a".repeat(300), "%ff%fe", "../..", "%25", "*", ":", "@", "\t"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain",
            "multipart/form-data; boundary=x", "application/vnd.oci.image.manifest.v1+json", "application/octet-stream", "",
            "application/json; charset=utf-16", "garbage", "*/*"};

    record Request(String method, String target, Map<String, String> headers, byte[] body) {
    }

    @Test
    void thousands_of_mutated_requests_get_no_5xx_and_log_no_stack_trace() throws Exception {
        Path dir = ScratchDirectories.create("berth-fuzz");
        Path log = dir.resolve("berth.log");
        int port = FreePorts.next();
        RandomText random = new RandomText(RandomText.SEED);
        System.out.println("BlackBoxFuzzIT seed " + RandomText.SEED + " (-Dproperties.seed to repeat)");
        try (BerthProcess berth = BerthProcess.start(port, dir.resolve("data"), log)) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "fuzz");
            String appkey = api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "fuzz");
            String token = api.token(ADMIN_EMAIL, appkey, "scope=repository:fuzz/app:pull,push,delete").text("token");
            long logBefore = Files.size(log);
            List<Request> seeds = seeds(token, appkey);

            List<String> failures = new ArrayList<>();
            Map<Integer, Integer> statuses = new TreeMap<>();
            Instant deadline = Instant.now().plus(BUDGET);
            int sent = 0;
            while (sent < REQUESTS && Instant.now().isBefore(deadline)) {
                Request request = mutate(seeds.get(random.below(seeds.size())), random);
                InetAddress from = InetAddress.getByName("127.3." + random.below(250) + "." + (1 + random.below(250)));
                int status = send(port, from, request);
                sent++;
                statuses.merge(status, 1, Integer::sum);
                if ((status >= 500 || status < 0) && failures.size() < 20) {
                    failures.add((status < 0 ? "no answer in 20 s" : status) + " for " + request.method() + " " + request.target()
                            + " " + request.headers());
                }
            }
            String logged = Files.readString(log).substring((int) logBefore);
            List<String> traces = logged.lines().filter(line -> line.startsWith("\tat ") || line.contains("Exception:")).limit(20).toList();
            System.out.println("BlackBoxFuzzIT sent " + sent + " requests; statuses " + statuses);
            assertThat(sent).as("requests sent within " + BUDGET).isGreaterThanOrEqualTo(Math.min(REQUESTS, 1_000));
            assertThat(failures).as("5xx or hanging answers (seed " + RandomText.SEED + ")").isEmpty();
            assertThat(traces).as("stack traces in Berth's log (seed " + RandomText.SEED + ")").isEmpty();
        }
    }

    private static List<Request> seeds(String token, String appkey) {
        String bearer = "Bearer " + token;
        String admin = BerthApi.basic(ADMIN_EMAIL, ADMIN_PASSWORD);
        String digest = "sha256:" + "a".repeat(64);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},\"layers\":[]}";
        List<Request> seeds = new ArrayList<>();
        seeds.add(new Request("GET", "/v2/", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("GET", "/v2/_catalog?n=10&last=a", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("GET", "/v2/fuzz/app/tags/list?n=5", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("HEAD", "/v2/fuzz/app/manifests/latest", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("GET", "/v2/fuzz/app/manifests/" + digest, Map.of("Authorization", bearer,
                "Accept", "application/vnd.oci.image.manifest.v1+json"), new byte[0]));
        seeds.add(new Request("PUT", "/v2/fuzz/app/manifests/v1", Map.of("Authorization", bearer,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json"), manifest.getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("POST", "/v2/fuzz/app/blobs/uploads/", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("POST", "/v2/fuzz/app/blobs/uploads/?mount=" + digest + "&from=fuzz/other", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("POST", "/v2/fuzz/app/blobs/uploads/?digest=" + digest, Map.of("Authorization", bearer,
                "Content-Type", "application/octet-stream"), "hi".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("PATCH", "/v2/fuzz/app/blobs/uploads/00000000-0000-0000-0000-000000000000", Map.of("Authorization", bearer,
                "Content-Range", "0-1", "Content-Type", "application/octet-stream"), "hi".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("GET", "/v2/fuzz/app/blobs/" + digest, Map.of("Authorization", bearer, "Range", "bytes=0-10"), new byte[0]));
        seeds.add(new Request("DELETE", "/v2/fuzz/app/manifests/" + digest, Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("GET", "/v2/fuzz/app/referrers/" + digest + "?artifactType=x", Map.of("Authorization", bearer), new byte[0]));
        seeds.add(new Request("GET", "/auth/token?service=berth-registry&scope=repository:fuzz/app:pull,push&offline_token=true",
                Map.of("Authorization", BerthApi.basic(ADMIN_EMAIL, appkey)), new byte[0]));
        seeds.add(new Request("POST", "/auth/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                ("grant_type=password&username=" + ADMIN_EMAIL + "&password=" + appkey + "&scope=repository:fuzz/app:pull&access_type=offline")
                        .getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("POST", "/auth/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=refresh_token&refresh_token=abc.def.ghi&scope=repository:fuzz/app:pull".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("GET", "/api/v1/projects", Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("GET", "/api/v1/projects/fuzz/members", Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("GET", "/api/v1/projects/fuzz/repositories?page=0&size=50&sort=name&direction=asc&filter=a",
                Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("GET", "/api/v1/projects/fuzz/repositories/app/tags?page=0&size=5&sort=pushedAt", Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("GET", "/api/v1/projects/fuzz/repositories/app/tags/v1", Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("DELETE", "/api/v1/projects/fuzz/repositories/app/tags/v1", Map.of("Authorization", admin), new byte[0]));
        seeds.add(new Request("POST", "/api/v1/projects", Map.of("Authorization", admin, "Content-Type", "application/json"),
                "{\"name\":\"fuzzed\"}".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("PUT", "/api/v1/projects/fuzz/members/someone@example.test", Map.of("Authorization", admin,
                "Content-Type", "application/json"), "{\"role\":\"MEMBER\"}".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("POST", "/api/v1/projects/fuzz/appkeys", Map.of("Authorization", admin, "Content-Type", "application/json"),
                "{\"name\":\"ci\",\"permission\":\"pull\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("POST", "/api/v1/accounts", Map.of("Authorization", admin, "Content-Type", "application/json"),
                "{\"email\":\"f@example.test\",\"password\":\"fuzz-password\",\"systemAdmin\":false}".getBytes(StandardCharsets.UTF_8)));
        seeds.add(new Request("GET", "/api/v1/catalog/sync", Map.of("Authorization", admin), new byte[0]));
        return seeds;
    }

    private static Request mutate(Request seed, RandomText random) {
        String method = seed.method();
        String target = seed.target();
        Map<String, String> headers = new TreeMap<>(seed.headers());
        byte[] body = seed.body();
        int mutations = 1 + random.below(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.below(8)) {
                case 0, 1 -> {
                    int at = random.below(target.length() + 1);
                    target = target.substring(0, at) + NASTY[random.below(NASTY.length)] + target.substring(at);
                }
                case 2 -> target = random.mutate(target);
                case 3 -> target = target + (target.contains("?") ? "&" : "?") + random.from("abz=&%;,:", 1 + random.below(6))
                        + NASTY[random.below(NASTY.length)];
                case 4 -> headers.put("Content-Type", CONTENT_TYPES[random.below(CONTENT_TYPES.length)]);
                case 5 -> headers.put(random.chance(50) ? "Authorization" : "Content-Range", switch (random.below(5)) {
                    case 0 -> "Basic " + random.from("QWxhZGRpbjpvcGVu=!", random.below(20));
                    case 1 -> "Bearer " + random.any();
                    case 2 -> random.mutate(headers.getOrDefault("Authorization", "Basic Og=="));
                    case 3 -> random.from("0123456789-/ bytes=*", random.below(25));
                    default -> "";
                });
                case 6 -> {
                    String text = new String(body, StandardCharsets.UTF_8);
                    body = (random.chance(30) ? text.substring(0, random.below(text.length() + 1))
                            : random.chance(50) ? random.mutate(text) : "{\"name\":" + "[".repeat(random.below(50)) + "1}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                default -> method = new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}[random.below(7)];
            }
        }
        // Header values on the wire may not hold line breaks or NUL: the fuzzer targets Berth, not HTTP framing.
        headers.replaceAll((k, v) -> v.replaceAll("[\\r\\n\\x00]", ""));
        return new Request(method, target.replaceAll("[\\r\\n ]", "%20").replace("\t", "%09"), headers, body);
    }

    /** The status of the answer, or -1 when none came within 20 s. */
    private static int send(int port, InetAddress from, Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (request.body().length > 0 || !List.of("GET", "HEAD", "OPTIONS").contains(request.method())) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(request.body());
            socket.getOutputStream().flush();
            return status(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        in.transferTo(java.io.OutputStream.nullOutputStream());
        String[] parts = line.toString(StandardCharsets.US_ASCII).split(" ");
        return parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : 0;
    }
}
