package berth.e2e.registry;

import berth.e2e.BerthProcess;
import berth.e2e.Medians;
import berth.e2e.TestImages;
import berth.e2e.TestImages.Image;
import berth.e2e.Tools;
import berth.testing.BerthApi;
import berth.testing.FreePorts;
import berth.testing.S3ProxyServer;
import berth.testing.ScratchDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth on the S3 driver (S3Proxy, filesystem-backed, on this machine) against Berth on the
 * filesystem driver, in the same run, with the same client: skopeo push and pull of an image with
 * one 200 MiB random layer. Both Berths run as separate JVMs with the same options. Not part of the
 * test run; see README "Benchmarks". Every run pushes a different image, so nothing becomes a mount.
 */
class S3StorageBenchmark {

    private static final int RUNS = Integer.getInteger("benchmark.runs", 3);
    private static final long LAYER_BYTES = Long.getLong("benchmark.layerMiB", 200) * 1024 * 1024;
    private static final String PROJECT = "bench";

    @Test
    void s3_driver_against_filesystem_driver() throws Exception {
        TestImages.requireTools();
        Path work = ScratchDirectories.create("berth-s3-benchmark");
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("benchmark");
        try (BerthProcess onFilesystem = BerthProcess.start(FreePorts.next(), work.resolve("data-fs"), work.resolve("fs.log"));
             BerthProcess onS3 = BerthProcess.start(FreePorts.next(), work.resolve("data-s3"), work.resolve("s3.log"),
                     s3.berthArguments(bucket, "berth"))) {
            Target filesystem = Target.of("filesystem", onFilesystem);
            Target objectStore = Target.of("S3", onS3);
            List<Image> images = new ArrayList<>();
            for (int i = 0; i <= RUNS; i++) {
                images.add(TestImages.withRandomLayer(work, "v1", LAYER_BYTES, 2000 + i));
            }
            List<Double> fsPush = new ArrayList<>();
            List<Double> fsPull = new ArrayList<>();
            List<Double> s3Push = new ArrayList<>();
            List<Double> s3Pull = new ArrayList<>();
            // Run 0 warms up both (JIT, page cache) and is not counted; the order alternates.
            for (int i = 0; i <= RUNS; i++) {
                List<Target> order = i % 2 == 0 ? List.of(objectStore, filesystem) : List.of(filesystem, objectStore);
                for (Target target : order) {
                    double push = target.push(images.get(i), "big-" + i);
                    Path pulled = work.resolve("pulled-" + target.name() + "-" + i);
                    double pull = target.pull("big-" + i, pulled);
                    assertThat(TestImages.contentOf(pulled, "pulled")).isEqualTo(TestImages.contentOf(images.get(i).layout(), "v1"));
                    TestImages.deleteTree(pulled);
                    if (i > 0) {
                        (target == objectStore ? s3Push : fsPush).add(push);
                        (target == objectStore ? s3Pull : fsPull).add(pull);
                    }
                }
            }
            double mib = LAYER_BYTES / 1024.0 / 1024.0;
            StringBuilder report = new StringBuilder();
            report.append("\n=== S3 storage benchmark: skopeo, one ").append((long) mib).append(" MiB random layer, ")
                    .append(RUNS).append(" runs each (after one warm-up); S3 = S3Proxy 2.6.0, filesystem-backed, same machine ===\n");
            line(report, "push", s3Push, fsPush, mib);
            line(report, "pull", s3Pull, fsPull, mib);
            System.out.println(report);
            Files.writeString(Path.of("target", "s3-storage-benchmark.txt"), report.toString());
        }
    }

    private static void line(StringBuilder report, String what, List<Double> s3, List<Double> fs, double mib) {
        double s = Medians.of(s3);
        double f = Medians.of(fs);
        report.append(String.format("%s: S3 driver median %.2f s (%.0f MiB/s) %s | filesystem driver median %.2f s (%.0f MiB/s) %s | time ratio S3/filesystem %.2f%n",
                what, s, mib / s, s3, f, mib / f, fs, s / f));
    }

    /** A Berth instance as skopeo addresses it, with the test administrator's Appkey of the project. */
    private record Target(String name, String address, String credentials) {

        static Target of(String name, BerthProcess berth) {
            BerthApi api = new BerthApi(berth.port());
            api.createProject(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, PROJECT);
            String appkey = api.appkey(BerthApi.ADMIN_EMAIL, BerthApi.ADMIN_PASSWORD, PROJECT);
            return new Target(name, "127.0.0.1:" + berth.port(), BerthApi.ADMIN_EMAIL + ":" + appkey);
        }

        double push(Image image, String repository) {
            return timed("push to " + name, "copy", "--dest-tls-verify=false", "--dest-creds", credentials, image.oci(),
                    "docker://" + address + "/" + PROJECT + "/" + repository + ":v1");
        }

        double pull(String repository, Path into) {
            return timed("pull from " + name, "copy", "--src-tls-verify=false", "--src-creds", credentials,
                    "docker://" + address + "/" + PROJECT + "/" + repository + ":v1", "oci:" + into + ":pulled");
        }

        private static double timed(String what, String... args) {
            long start = System.nanoTime();
            Tools.run(Tools.skopeo(args)).requireSuccess("skopeo " + what);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
