package berth.testing;

import java.io.File;
import java.io.IOException;

/**
 * Work left for when the test JVM has exited: a detached shell waits for this JVM's pid to go and
 * then runs the command. Unlike a shutdown hook it neither races the hooks that close test contexts
 * nor keeps the JVM from exiting (Surefire kills a fork whose hooks take over 30 s), and it runs
 * when the JVM was killed too.
 */
final class AfterThisJvm {

    private AfterThisJvm() {
    }

    /** Runs {@code command} (bash) within a second of this JVM's exit. */
    static void run(String command) throws IOException {
        String watch = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; " + command;
        new ProcessBuilder("setsid", "bash", "-c", watch)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
    }
}
