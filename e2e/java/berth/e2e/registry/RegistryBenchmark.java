package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.DistributionRegistry;
import berth.e2e.Medians;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Berth's embedded registry against CNCF Distribution 2.8.2 on the same machine, in the same run,
 * with the same client (skopeo): push and pull of an image with one 200 MiB random layer, and 20
 * concurrent pushes of distinct small images. Not part of the test run; see README "Benchmarks".
 * Every run pushes a different image, so no registry or client cache turns an upload into a mount.
 * Both run as their users run them: Berth from {@code target/berth.jar} with the JVM's defaults,
 * in a process of its own, as Distribution is - not inside the test's JVM.
 */
class RegistryBenchmark {

    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final long LAYER_BYTES = Long.getLong("benchmark.layerMiB", 200) * 1024 * 1024;
    private static final int CONCURRENT = 20;
    private static final String ADMIN = BerthApi.ADMIN_EMAIL;

    @Test
    void berth_against_cncf_distribution() throws Exception {
        TestImages.requireTools();
        Path work = ScratchDirectories.create("berth-registry-benchmark");
        int port = FreePorts.next();
        try (BerthProcess berthProcess = BerthProcess.startPackaged(port, work.resolve("berth-data"), work.resolve("berth.log"), List.of());
             DistributionRegistry distribution = DistributionRegistry.start(Files.createDirectories(work.resolve("distribution-root")), work)) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN, BerthApi.ADMIN_PASSWORD, "bench");
            String key = api.appkey(ADMIN, BerthApi.ADMIN_PASSWORD, "bench");
            String address = "127.0.0.1:" + port;
            String service = service(api);
            List<Image> images = new ArrayList<>();
            for (int i = 0; i <= RUNS; i++) {
                images.add(TestImages.withRandomLayer(work, "v1", LAYER_BYTES, 1000 + i));
            }
            // Distribution runs without auth here, so Berth gets its token up front: engine against engine.
            // The concurrent pushes also run once with email + Appkey, i.e. through Berth's token service.
            // Tokens are fetched once per repository and before any clock starts (see the concurrent pushes).
            Map<String, String> tokens = new ConcurrentHashMap<>();
            Function<String, String> pushToken = repository -> tokens.computeIfAbsent(repository + ":pull,push",
                    scope -> token(api, key, service, repository, "pull,push"));
            Target berth = new Target("Berth", address, repository -> List.of("--dest-registry-token", pushToken.apply(repository)),
                    repository -> List.of("--src-registry-token", token(api, key, service, repository, "pull")));
            Target berthWithLogin = new Target("Berth", address, repository -> List.of("--dest-creds", ADMIN + ":" + key),
                    repository -> List.of("--src-creds", ADMIN + ":" + key));
            Target cncf = new Target("Distribution", distribution.address(), repository -> List.of(), repository -> List.of());
            List<Double> berthPush = new ArrayList<>();
            List<Double> cncfPush = new ArrayList<>();
            List<Double> berthPull = new ArrayList<>();
            List<Double> cncfPull = new ArrayList<>();
            // Run 0 warms up both (JIT, page cache) and is not counted; the order alternates. All pushes
            // come first and all pulls after, so no pull shares the machine with the aftermath of a push
            // (the kernel writing Distribution's dirty pages back, Berth's catalog reading the new tag).
            for (int i = 0; i <= RUNS; i++) {
                for (Target target : alternating(i, berth, cncf)) {
                    double push = target.push(images.get(i), "bench/big-" + i);
                    if (i > 0) {
                        (target == berth ? berthPush : cncfPush).add(push);
                    }
                }
            }
            Tools.run(List.of("sync")).requireSuccess("sync");
            for (int i = 0; i <= RUNS; i++) {
                for (Target target : alternating(i, berth, cncf)) {
                    double pull = target.pull("bench/big-" + i, work.resolve("pulled-" + target.name() + "-" + i));
                    if (i > 0) {
                        (target == berth ? berthPull : cncfPull).add(pull);
                    }
                }
            }

            List<Image> small = new ArrayList<>();
            for (int i = 0; i < 5 * CONCURRENT; i++) {
                small.add(TestImages.withFiles(work, "v1", Map.of("file.txt", "small image " + i + "\n")));
            }
            // A long-running server is warm; a JVM needs a few thousand requests to get there, Go does not.
            // One uncounted round on each warms the small-push path of both.
            concurrently(i -> berth.push(small.get(3 * CONCURRENT + i), "bench/small-warm-" + i));
            concurrently(i -> cncf.push(small.get(4 * CONCURRENT + i), "bench/small-warm-" + i));
            for (int i = 0; i < CONCURRENT; i++) {
                pushToken.apply("bench/small-" + i);
            }
            double berthConcurrent = concurrently(i -> berth.push(small.get(i), "bench/small-" + i));
            double cncfConcurrent = concurrently(i -> cncf.push(small.get(CONCURRENT + i), "bench/small-" + i));
            double loginConcurrent = concurrently(i -> berthWithLogin.push(small.get(2 * CONCURRENT + i), "bench/login-" + i));

            double mib = LAYER_BYTES / 1024.0 / 1024.0;
            StringBuilder report = new StringBuilder();
            report.append("\n=== Registry benchmark: skopeo, one ").append((long) mib).append(" MiB random layer, ")
                    .append(RUNS).append(" runs each (after one warm-up) ===\n");
            line(report, "push", berthPush, cncfPush, mib);
            line(report, "pull", berthPull, cncfPull, mib);
            report.append(String.format("%d concurrent pushes of small images: Berth %.2f s, Distribution %.2f s, throughput ratio Berth/Distribution %.2f%n",
                    CONCURRENT, berthConcurrent, cncfConcurrent, cncfConcurrent / berthConcurrent));
            report.append(String.format("%d concurrent pushes to Berth with email + Appkey (each through the token service): %.2f s%n",
                    CONCURRENT, loginConcurrent));
            System.out.println(report);
            Files.writeString(Path.of("target", "registry-benchmark.txt"), report.toString());
        }
    }

    /** The {@code service} Berth's challenge names, as a client learns it. */
    private static String service(BerthApi api) {
        String challenge = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/v2/")).GET())
                .headers().firstValue("WWW-Authenticate").orElseThrow(() -> new AssertionError("GET /v2/ without a challenge"));
        java.util.regex.Matcher service = java.util.regex.Pattern.compile("service=\"([^\"]+)\"").matcher(challenge);
        if (!service.find()) {
            throw new AssertionError("no service in " + challenge);
        }
        return service.group(1);
    }

    /** A token from Berth's token service, for skopeo's {@code --*-registry-token}. */
    private static String token(BerthApi api, String key, String service, String repository, String actions) {
        BerthApi.Reply reply = api.token(ADMIN, key, "service=" + service + "&scope=repository:" + repository + ":" + actions);
        if (reply.status() != 200) {
            throw new AssertionError("token for " + repository + ": " + reply.status() + " " + reply.raw());
        }
        return reply.text("token");
    }

    private static void line(StringBuilder report, String what, List<Double> berth, List<Double> cncf, double mib) {
        double b = Medians.of(berth);
        double c = Medians.of(cncf);
        report.append(String.format("%s: Berth median %.2f s (%.0f MiB/s) %s | Distribution median %.2f s (%.0f MiB/s) %s | throughput ratio Berth/Distribution %.2f%n",
                what, b, mib / b, berth, c, mib / c, cncf, c / b));
    }

    private static double concurrently(Function<Integer, Double> push) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            long start = System.nanoTime();
            List<Future<Double>> pushes = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                int index = i;
                pushes.add(pool.submit(() -> push.apply(index)));
            }
            for (Future<Double> each : pushes) {
                each.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    private static List<Target> alternating(int run, Target one, Target other) {
        return run % 2 == 0 ? List.of(one, other) : List.of(other, one);
    }

    /** A registry as skopeo addresses it. */
    private record Target(String name, String address, Function<String, List<String>> destCredentials,
                          Function<String, List<String>> sourceCredentials) {

        double push(Image image, String repository) {
            List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
            args.addAll(destCredentials.apply(repository));
            args.addAll(List.of(image.oci(), "docker://" + address + "/" + repository + ":v1"));
            return timed(args, "push to " + name);
        }

        double pull(String repository, Path into) {
            List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false"));
            args.addAll(sourceCredentials.apply(repository));
            args.addAll(List.of("docker://" + address + "/" + repository + ":v1", "dir:" + into));
            return timed(args, "pull from " + name);
        }

        private static double timed(List<String> args, String what) {
            long start = System.nanoTime();
            Tools.run(Tools.skopeo(args.toArray(String[]::new))).requireSuccess("skopeo " + what);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
