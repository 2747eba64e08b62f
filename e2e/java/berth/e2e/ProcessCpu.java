package berth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of a process on this machine from {@code /proc}, in all and - for a JVM - split by what
 * its threads do: the JIT compilers, the garbage collector, and everything else (the work).
 */
public record ProcessCpu(double total, double compiler, double gc) {

    /** The work: neither compiling nor collecting. */
    public double work() {
        return total - compiler - gc;
    }

    public ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(total - earlier.total, compiler - earlier.compiler, gc - earlier.gc);
    }

    /** CPU seconds (user + system) process {@code pid} has used so far. */
    public static double seconds(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / 100.0;
    }

    /** The process's CPU so far, its threads sorted by name (HotSpot names its compiler and GC threads). */
    public static ProcessCpu of(long pid) {
        double total = seconds(pid);
        long compiler = 0;
        long gc = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                String name;
                long used;
                try {
                    name = threadName(thread.resolve("stat"));
                    used = ticks(thread.resolve("stat"));
                } catch (UncheckedIOException gone) {
                    continue; // the thread ended while we looked
                }
                if (name.contains("CompilerThre")) {
                    compiler += used;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gc += used;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcessCpu(total, compiler / 100.0, gc / 100.0);
    }

    private static String threadName(Path stat) {
        String text = read(stat);
        return text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
    }

    /** Fields 14 and 15 of a stat file (utime, stime), counted after the command name. */
    private static long ticks(Path stat) {
        String text = read(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
