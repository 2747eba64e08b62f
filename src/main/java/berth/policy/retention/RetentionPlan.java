package berth.policy.retention;

import berth.catalog.ProjectTags.TagFacts;
import berth.policy.Glob;
import berth.policy.retention.RetentionPolicy.Rule;
import berth.policy.retention.RetentionRun.Deletion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What a policy does to a project's tags, evaluated as Harbor does it: a tag is kept if any rule
 * retains it; a tag no rule selects is kept; the rest of what the rules select is deleted. Protected
 * tags (immutable) are kept whatever the rules say and are not counted as deletions. "Most recently"
 * counts per repository, so {@code mostRecentlyPushed 10} over {@code **} keeps ten tags of each.
 *
 * <p>A pure function of the tags, the rules and the time: the dry run and the real run compute it
 * alike, so the dry run's list is the one a real run deletes.
 *
 * @param deletions the tags to delete, by repository then tag name; then, with {@link #withUntagged}, untagged manifests
 * @param kept tags the rules select and keep (tags no rule selects are not counted)
 * @param perRule for each rule, how many tags it selects and retains, and in how many repositories
 */
record RetentionPlan(List<Deletion> deletions, int kept, List<RuleEffect> perRule) {

    /** One rule's reach: the tags it selects, how many of those it retains, and their repositories. */
    record RuleEffect(int selected, int retained, int repositories) {
    }

    /** Most recent first; among equal times by name, so a run is repeatable. */
    private static final Comparator<TagFacts> NEWEST_PUSH = Comparator.comparing(TagFacts::pushedAt).reversed()
            .thenComparing(TagFacts::tag);
    private static final Comparator<TagFacts> NEWEST_PULL = Comparator.comparing((TagFacts t) -> t.lastPulledAt()).reversed()
            .thenComparing(TagFacts::tag);

    static RetentionPlan of(RetentionPolicy policy, List<TagFacts> tags, Instant now, Predicate<TagFacts> isProtected) {
        List<CompiledRule> rules = policy.rules().stream().map(CompiledRule::of).toList();
        Map<String, List<TagFacts>> byRepository = new TreeMap<>();
        for (TagFacts tag : tags) {
            byRepository.computeIfAbsent(tag.repository(), r -> new ArrayList<>()).add(tag);
        }
        int[] selected = new int[rules.size()];
        int[] retainedCount = new int[rules.size()];
        int[] repositories = new int[rules.size()];
        List<Deletion> deletions = new ArrayList<>();
        int kept = 0;
        for (Map.Entry<String, List<TagFacts>> repository : byRepository.entrySet()) {
            Set<TagFacts> inScope = new HashSet<>();
            Set<TagFacts> retained = new HashSet<>();
            for (int i = 0; i < rules.size(); i++) {
                CompiledRule rule = rules.get(i);
                if (!rule.covers(repository.getKey())) {
                    continue;
                }
                List<TagFacts> candidates = repository.getValue().stream().filter(rule::selects).toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                List<TagFacts> keeps = rule.retained(candidates, now);
                selected[i] += candidates.size();
                retainedCount[i] += keeps.size();
                repositories[i]++;
                inScope.addAll(candidates);
                retained.addAll(keeps);
            }
            List<TagFacts> doomed = new ArrayList<>();
            for (TagFacts tag : inScope) {
                if (retained.contains(tag) || isProtected.test(tag)) {
                    kept++;
                } else {
                    doomed.add(tag);
                }
            }
            doomed.sort(Comparator.comparing(TagFacts::tag));
            doomed.forEach(t -> deletions.add(new Deletion(t.repository(), t.tag(), t.digest(), t.size())));
        }
        List<RuleEffect> perRule = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            perRule.add(new RuleEffect(selected[i], retainedCount[i], repositories[i]));
        }
        return new RetentionPlan(List.copyOf(deletions), kept, perRule);
    }

    /** The repositories any rule looks at, by name: where untagged manifests go too when the policy says {@code remove}. */
    static List<String> scope(RetentionPolicy policy, java.util.Collection<String> repositories) {
        List<CompiledRule> rules = policy.rules().stream().map(CompiledRule::of).toList();
        return repositories.stream().distinct().filter(r -> rules.stream().anyMatch(rule -> rule.covers(r))).sorted().toList();
    }

    /** This plan with {@code untagged} (manifests, no tag) after its tags: the list a run with {@code untagged: remove} deletes. */
    RetentionPlan withUntagged(List<Deletion> untagged) {
        List<Deletion> all = new ArrayList<>(deletions);
        all.addAll(untagged);
        return new RetentionPlan(List.copyOf(all), kept, perRule);
    }

    /** How many of the deletions are tags (they come first). */
    int tagDeletions() {
        return (int) deletions.stream().filter(d -> d.tag() != null).count();
    }

    /** Deleted tags per repository, in the plan's order, for the dry run's list. */
    Map<String, List<Deletion>> byRepository() {
        Map<String, List<Deletion>> grouped = new LinkedHashMap<>();
        deletions.forEach(d -> grouped.computeIfAbsent(d.repository(), r -> new ArrayList<>()).add(d));
        return grouped;
    }

    /**
     * Bytes garbage collection can free once the deletions are done, as far as the catalog knows: the
     * blobs (manifests, layers; an index's platform manifests and their layers) of the deleted tags'
     * manifests that no tag left in the project still uses. Blobs another project shares, or an untagged
     * manifest of this one, are counted though collection would keep them; configs are not counted.
     */
    long bytesFreeable(List<TagFacts> tags, Map<String, Map<String, Long>> blobsByManifest) {
        Set<String> deleted = new HashSet<>();
        deletions.forEach(d -> deleted.add(d.repository() + ":" + d.tag()));
        Set<String> remainingBlobs = new HashSet<>();
        Set<String> deletedManifests = new HashSet<>();
        for (TagFacts tag : tags) {
            if (deleted.contains(tag.repository() + ":" + tag.tag())) {
                deletedManifests.add(tag.digest());
            } else {
                remainingBlobs.addAll(blobsByManifest.getOrDefault(tag.digest(), Map.of(tag.digest(), 0L)).keySet());
            }
        }
        Map<String, Long> freed = new HashMap<>();
        for (String manifest : deletedManifests) {
            blobsByManifest.getOrDefault(manifest, Map.of()).forEach((blob, size) -> {
                if (!remainingBlobs.contains(blob)) {
                    freed.put(blob, size);
                }
            });
        }
        return freed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A rule with its globs parsed; {@code exclude} is null when the rule excludes nothing (an empty {@code tagsExclude}). */
    private record CompiledRule(Rule rule, Glob repositories, Glob include, @Nullable Glob exclude) {

        static CompiledRule of(Rule rule) {
            return new CompiledRule(rule, Glob.ofRepositories("repositories", rule.repositories()), Glob.ofTags("tagsInclude", rule.tagsInclude()),
                    rule.tagsExclude().isEmpty() ? null : Glob.ofTags("tagsExclude", rule.tagsExclude()));
        }

        /** Whether the rule looks at {@code repository} (its full name): its glob is over the name within the project. */
        boolean covers(String repository) {
            int slash = repository.indexOf('/');
            return repositories.matches(slash < 0 ? "" : repository.substring(slash + 1));
        }

        boolean selects(TagFacts tag) {
            return include.matches(tag.tag()) && (exclude == null || !exclude.matches(tag.tag()));
        }

        List<TagFacts> retained(List<TagFacts> candidates, Instant now) {
            Duration days = Duration.ofDays(rule.value());
            return switch (rule.retain()) {
                case always -> candidates;
                case mostRecentlyPushed -> candidates.stream().sorted(NEWEST_PUSH).limit(rule.value()).toList();
                case pushedWithinDays -> candidates.stream().filter(t -> !t.pushedAt().isBefore(now.minus(days))).toList();
                case mostRecentlyPulled -> candidates.stream().filter(t -> t.lastPulledAt() != null).sorted(NEWEST_PULL)
                        .limit(rule.value()).toList();
                case pulledWithinDays -> candidates.stream()
                        .filter(t -> t.lastPulledAt() != null && !t.lastPulledAt().isBefore(now.minus(days))).toList();
            };
        }
    }
}
