package berth.e2e.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real command-line tools the tests prove Berth with; a missing tool fails the test by name. */
final class RealTools {

    private RealTools() {
    }

    record Result(int exit, String output) {
    }

    static void require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError("This test needs '" + tool + "' on the PATH; install it (apt-get install -y "
                + (tool.equals("docker-registry") ? "docker-registry" : tool) + ").");
    }

    static Result run(Path workDir, String... command) {
        require(command[0]);
        try {
            Path log = Files.createTempFile("tool-", ".log");
            Process process = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result ok(Path workDir, String... command) {
        Result result = run(workDir, command);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.exit() + "):\n" + result.output());
        }
        return result;
    }

    /** An OCI image layout with one small layer holding {@code content}, built with umoci. */
    static Path image(Path dir, String tag, String content) throws IOException {
        Path layout = dir.resolve("layout-" + tag);
        Path bundle = dir.resolve("bundle-" + tag);
        ok(dir, "umoci", "init", "--layout", layout.toString());
        ok(dir, "umoci", "new", "--image", layout + ":" + tag);
        ok(dir, "umoci", "unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString());
        Files.writeString(bundle.resolve("rootfs").resolve("hello.txt"), content);
        ok(dir, "umoci", "repack", "--image", layout + ":" + tag, bundle.toString());
        return layout;
    }

    static List<String> skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return command;
    }
}
