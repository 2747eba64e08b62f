package berth.e2e.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command-line tools the registry tests drive; a missing one fails the test and names the package. */
public final class Tools {

    private Tools() {
    }

    /** The tool's path; fails (never skips) when it is not installed. */
    public static Path require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("The tests need '" + tool + "' and it is not on the PATH: install it, e.g. 'apt-get install "
                + (tool.equals("docker-registry") ? "docker-registry" : tool) + "'.");
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
