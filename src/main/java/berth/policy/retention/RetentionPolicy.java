package berth.policy.retention;

import berth.base.InvalidRequestException;
import berth.policy.Glob;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * A project's retention policy as the REST API writes it: rules, what happens to untagged manifests,
 * and a cron schedule (Spring's six fields, UTC; null: on demand only). No rules: nothing is deleted.
 */
public record RetentionPolicy(List<Rule> rules, String untagged, @Nullable String schedule) {

    static final int MAX_RULES = 50;

    public static final RetentionPolicy NONE = new RetentionPolicy(List.of(), "keep", null);

    /** What a rule retains of the tags it selects. */
    public enum Retain {
        mostRecentlyPushed, pushedWithinDays, mostRecentlyPulled, pulledWithinDays, always;

        boolean needsValue() {
            return this != always;
        }
    }

    /**
     * One rule: it selects the tags of the repositories matching {@code repositories} whose names match
     * {@code tagsInclude} and not {@code tagsExclude}, and retains some of them.
     *
     * @param value N (the most recent N) or D (within D days); ignored for {@code always}
     */
    public record Rule(String repositories, String tagsInclude, String tagsExclude, Retain retain, int value) {
    }

    /** Checks every field and answers 400 naming the first bad one; returns the policy with defaults filled in. */
    static RetentionPolicy checked(@Nullable List<Rule> rules, @Nullable String untagged, @Nullable String schedule) {
        List<Rule> given = rules == null ? List.of() : rules;
        if (given.size() > MAX_RULES) {
            throw new InvalidRequestException("A policy holds at most " + MAX_RULES + " rules.");
        }
        for (int i = 0; i < given.size(); i++) {
            Rule rule = given.get(i);
            String at = "rules[" + i + "].";
            if (rule == null || rule.retain() == null) {
                throw new InvalidRequestException("The " + at + "retain field is missing: one of mostRecentlyPushed, pushedWithinDays, "
                        + "mostRecentlyPulled, pulledWithinDays, always.");
            }
            Glob.ofRepositories(at + "repositories", nonNull(rule.repositories()));
            Glob.ofTags(at + "tagsInclude", nonNull(rule.tagsInclude()));
            if (!nonNull(rule.tagsExclude()).isEmpty()) {
                Glob.ofTags(at + "tagsExclude", rule.tagsExclude());
            }
            if (rule.retain().needsValue() && (rule.value() < 1 || rule.value() > 100_000)) {
                throw new InvalidRequestException("The " + at + "value must be between 1 and 100000 for " + rule.retain() + ".");
            }
        }
        String keepOrRemove = untagged == null ? "keep" : untagged.toLowerCase(Locale.ROOT);
        if (!keepOrRemove.equals("keep") && !keepOrRemove.equals("remove")) {
            throw new InvalidRequestException("The untagged field must be keep or remove.");
        }
        String cron = schedule == null || schedule.isBlank() ? null : schedule.trim();
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            throw new InvalidRequestException("The schedule field '" + cron + "' is no cron expression (six fields: second minute hour "
                    + "day month weekday, e.g. 0 0 3 * * *).");
        }
        List<Rule> normalized = given.stream().map(r -> new Rule(r.repositories(), r.tagsInclude(), nonNull(r.tagsExclude()), r.retain(),
                r.retain().needsValue() ? r.value() : 0)).toList();
        return new RetentionPolicy(normalized, keepOrRemove, cron);
    }

    private static String nonNull(@Nullable String text) {
        return text == null ? "" : text;
    }
}
