package berth.e2e.webhooks;

import berth.e2e.BerthProcess;
import berth.e2e.TestImages;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.ScratchDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a webhook endpoint costs a push: 20 concurrent small skopeo pushes (as in the registry
 * benchmark) with no endpoint and with one that takes every push, rounds alternating; and the
 * push-to-delivery latency (skopeo finished to the receiver's arrival) over the pushes of the "on"
 * rounds. The audit log is always on. Not part of the test run; see README "Benchmarks".
 */
class WebhookPushBenchmark {

    private static final int CONCURRENT = 20;
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

    @Test
    void pushes_with_and_without_a_webhook() throws Exception {
        Path work = ScratchDirectories.create("berth-webhook-benchmark");
        int port = FreePorts.next();
        try (BerthProcess berth = BerthProcess.startPackaged(port, work.resolve("data"), work.resolve("berth.log"),
                List.of("--berth.webhooks.allow-private-targets=true"));
             Receiver receiver = new Receiver(FreePorts.next()).start()) {
            BerthApi api = new BerthApi(port);
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "off");
            api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, "on");
            assertThat(api.post("/api/v1/projects/on/webhooks", ADMIN_EMAIL, ADMIN_PASSWORD, Map.of("url", receiver.url("/hook"),
                    "events", List.of("PUSH_ARTIFACT"), "secret", "benchmark")).status()).isEqualTo(201);
            Map<String, String> keys = Map.of("off", api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "off"),
                    "on", api.appkey(ADMIN_EMAIL, ADMIN_PASSWORD, "on"));
            List<TestImages.Image> images = new ArrayList<>();
            for (int i = 0; i < (2 * ROUNDS + 2) * CONCURRENT; i++) {
                images.add(TestImages.withFiles(work, "v1", Map.of("file.txt", "small image " + i + "\n")));
            }
            Map<String, Instant> finished = new ConcurrentHashMap<>();
            int next = 0;
            // One uncounted round on each warms the JVM.
            round(port, "off", keys, images.subList(next, next += CONCURRENT), "warm", finished);
            round(port, "on", keys, images.subList(next, next += CONCURRENT), "warm", finished);
            List<Double> off = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                for (String project : r % 2 == 0 ? List.of("off", "on") : List.of("on", "off")) {
                    double seconds = round(port, project, keys, images.subList(next, next += CONCURRENT), "r" + r, finished);
                    (project.equals("on") ? on : off).add(seconds);
                }
            }
            int expected = (ROUNDS + 1) * CONCURRENT;
            assertThat(receiver.await(d -> true, expected, Duration.ofSeconds(60))).hasSize(expected);
            List<Long> latencies = new ArrayList<>();
            // The event's time is when the registry published it, just before the manifest's 201: from there to
            // the receiver is Berth's own part of the latency (hand-over, fan-out, sending), without skopeo's exit.
            List<Long> fromEvent = new ArrayList<>();
            for (Receiver.Delivery delivery : receiver.received()) {
                String subject = delivery.json().path("subject").asString();
                if (!subject.contains("warm")) {
                    latencies.add(Duration.between(finished.get(subject), delivery.at()).toMillis());
                    fromEvent.add(Duration.between(Instant.parse(delivery.json().path("time").asString()), delivery.at()).toMillis());
                }
            }
            Collections.sort(latencies);
            Collections.sort(fromEvent);
            double medianOff = median(off);
            double medianOn = median(on);
            String report = String.format("%n=== Webhook push benchmark: %d rounds of %d concurrent small pushes ===%n"
                            + "no endpoint: median %.2f s %s%none endpoint: median %.2f s %s%nthroughput ratio on/off: %.2f%n"
                            + "push-to-delivery over %d pushes: p50 %d ms, p95 %d ms, max %d ms%n"
                            + "event-to-delivery (Berth's part): p50 %d ms, p95 %d ms, max %d ms%n",
                    ROUNDS, CONCURRENT, medianOff, off, medianOn, on, medianOff / medianOn, latencies.size(),
                    latencies.get(latencies.size() / 2), latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1),
                    latencies.getLast(), fromEvent.get(fromEvent.size() / 2),
                    fromEvent.get((int) Math.ceil(fromEvent.size() * 0.95) - 1), fromEvent.getLast());
            System.out.println(report);
            Files.writeString(Path.of("target", "webhook-push-benchmark.txt"), report);
        }
    }

    private static double round(int port, String project, Map<String, String> keys, List<TestImages.Image> images, String prefix,
                                Map<String, Instant> finished) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            long start = System.nanoTime();
            List<Future<?>> pushes = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                String repository = project + "/" + prefix + "-" + i;
                TestImages.Image image = images.get(i);
                pushes.add(pool.submit(() -> {
                    Tools.run(Tools.skopeo("copy", "--dest-tls-verify=false", "--dest-creds", ADMIN_EMAIL + ":" + keys.get(project),
                            image.oci(), "docker://127.0.0.1:" + port + "/" + repository + ":v1")).requireSuccess("push " + repository);
                    finished.put(repository + ":v1", Instant.now());
                }));
            }
            for (Future<?> push : pushes) {
                push.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
