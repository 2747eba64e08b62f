package berth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The real command-line tools the tests prove Berth with. A missing tool fails the test with a
 * sentence naming it and how to install it - never a silent skip.
 */
public final class Tools {

    private Tools() {
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    public record Result(int exit, String output) {
        public Result requireSuccess(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed with exit code " + exit + ":\n" + output);
            }
            return this;
        }
    }

    /** The tool's path; fails (never skips) when it is not installed. */
    public static Path require(String tool) {
        return require(tool, tool);
    }

    /** As {@link #require(String)} for a tool whose Debian package has another name (dockerd and ctr: docker.io). */
    public static Path require(String tool, String debianPackage) {
        if (tool.contains("/") && Files.isExecutable(Path.of(tool))) {
            return Path.of(tool);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (!tool.contains("/") && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("This test needs '" + tool + "', and it is missing: install it with "
                + "'apt-get install -y " + debianPackage + "' (Debian 12 packages docker-registry, skopeo, umoci, docker.io).");
    }

    public static Result run(List<String> command) {
        return run(command, Map.of());
    }

    /** Runs a command to its end (at most 10 minutes), with extra environment variables. */
    public static Result run(List<String> command, Map<String, String> environment) {
        return run(command, environment, null);
    }

    /** As {@link #run(List, Map)}, writing {@code input} to the command's standard input, e.g. a secret for {@code --password-stdin}. */
    public static Result run(List<String> command, Map<String, String> environment, @Nullable String input) {
        require(command.getFirst());
        try {
            Path log = Files.createTempFile("berth-tool-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 10 minutes");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code skopeo --insecure-policy <args>}: test images carry no signatures to check. */
    public static List<String> skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a tool to the end; fails with its output when it does not exit 0. */
    public static String run(Path workDir, String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(require(tool).toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(tool + " did not finish in 120 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", redact(command)) + " exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("could not run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Tokens are secrets: never in a failure message. */
    private static List<String> redact(List<String> command) {
        List<String> shown = new ArrayList<>();
        boolean hide = false;
        for (String part : command) {
            shown.add(hide ? "***" : part);
            hide = part.endsWith("-registry-token") || part.endsWith("-creds");
        }
        return shown;
    }
}
