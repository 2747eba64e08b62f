package berth.testing;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * Generated input for property tests of parsers: strings from an alphabet of the characters that
 * matter to them (separators, escapes, case, control and non-ASCII characters), at lengths around
 * their limits, and mutations of valid text. Seeded, so a failure names the seed that reproduces
 * it: {@code -Dproperties.seed=N}; {@code -Dproperties.tries=N} sets how many inputs each property sees.
 */
public final class RandomText {

    /**
     * Fixed by default, so that the build is repeatable (this seed once found the fuzzer's {@code ///v2}
     * stack trace); {@code -Dproperties.seed=N} explores other inputs.
     */
    public static final long SEED = Long.getLong("properties.seed", 8069489121014L);
    public static final int TRIES = Integer.getInteger("properties.tries", 20_000);

    private static final String ALPHABET = "abcxyz019ABZ._-__/:@+=,* %\\\0\t\n\"'{}?#é한";

    private final SplittableRandom random;

    public RandomText(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int below(int bound) {
        return random.nextInt(bound);
    }

    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** A string of the alphabet, mostly short, sometimes around the 128/255 limits. */
    public String any() {
        int length = switch (below(4)) {
            case 0 -> below(4);
            case 1 -> below(20);
            case 2 -> 120 + below(20);
            default -> 250 + below(12);
        };
        return from(ALPHABET, length);
    }

    public String from(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(below(alphabet.length())));
        }
        return text.toString();
    }

    /** {@code valid} with one character changed, inserted or removed. */
    public String mutate(String valid) {
        StringBuilder text = new StringBuilder(valid);
        int at = text.isEmpty() ? 0 : below(text.length());
        char c = ALPHABET.charAt(below(ALPHABET.length()));
        switch (below(3)) {
            case 0 -> {
                if (!text.isEmpty()) {
                    text.setCharAt(at, c);
                }
            }
            case 1 -> text.insert(at, c);
            default -> {
                if (!text.isEmpty()) {
                    text.deleteCharAt(at);
                }
            }
        }
        return text.toString();
    }

    /**
     * A property over {@link #TRIES} inputs from {@code inputs}: the parser either accepts an input
     * ({@code accepted} parses it and checks the result) or refuses it with a {@code refusal}
     * ({@code refused} checks how); any other exception fails, naming the input that reproduces it.
     */
    public <E extends RuntimeException> void check(Supplier<String> inputs, Consumer<String> accepted, Class<E> refusal,
            BiConsumer<String, E> refused) {
        for (int i = 0; i < TRIES; i++) {
            String input = inputs.get();
            try {
                accepted.accept(input);
            } catch (RuntimeException e) {
                if (!refusal.isInstance(e)) {
                    fail(reproduce(input) + " threw " + e);
                }
                refused.accept(input, refusal.cast(e));
            }
        }
    }

    /** What a failing property prints, so the run can be repeated. */
    public static String reproduce(String input) {
        return "input '" + input.replace("\0", "\\0") + "' (reproduce with -Dproperties.seed=" + SEED + ")";
    }
}
