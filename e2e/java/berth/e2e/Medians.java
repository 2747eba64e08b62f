package berth.e2e;

import java.util.List;

/** The middle of a benchmark's measured runs: robust against the one run the shared machine spoils. */
public final class Medians {

    private Medians() {
    }

    public static double of(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
