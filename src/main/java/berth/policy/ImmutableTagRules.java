package berth.policy;

import berth.auth.ProjectAccess;
import berth.auth.ProjectAccess.Action;
import berth.auth.Projects;
import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.base.RequestOrigin;
import berth.policy.immutable.ImmutableTagRule;
import berth.policy.immutable.ImmutableTagRuleRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A project's immutable-tag rules: its ADMINs add and remove them, its MEMBERs read them, nobody else
 * sees them, each refused here, whoever calls. A tag that a rule covers keeps its digest (the embedded
 * engine refuses a push of another one) and cannot be deleted (every deletion asks
 * {@link #protecting}).
 */
@Service
@Transactional
public class ImmutableTagRules {

    private final ImmutableTagRuleRepository rules;
    private final ProjectAccess access;
    private final Projects projects;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    ImmutableTagRules(ImmutableTagRuleRepository rules, ProjectAccess access, Projects projects, ApplicationEventPublisher publisher,
                      Clock clock) {
        this.rules = rules;
        this.access = access;
        this.projects = projects;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** What an ADMIN sends to add a rule; no {@code repositories} means every repository ({@code **}). */
    public record RuleSpec(@Nullable String repositories, @Nullable String tags) {
    }

    /** A rule as the API and console show it. */
    public record Rule(long id, String repositories, String tags) {

        /** The rule as a refusal names it: {@code immutable-tag rule 3 (repositories '**', tags 'v*')}. */
        public String describe() {
            return "immutable-tag rule " + id + " (repositories '" + repositories + "', tags '" + tags + "')";
        }
    }

    /** The project's rules, oldest first; for its members. */
    @Transactional(readOnly = true)
    public List<Rule> list(String me, String project) {
        access.require(me, project, Action.BROWSE);
        return rules.findByProjectOrderById(project).stream().map(ImmutableTagRule::rule).toList();
    }

    /** One rule of the project; for its members. */
    @Transactional(readOnly = true)
    public Rule get(String me, String project, long id) {
        access.require(me, project, Action.BROWSE);
        return found(project, id).rule();
    }

    /** Adds a rule; for the project's ADMINs. An invalid glob is refused naming its field, a rule the project has as a conflict. */
    public Rule add(String me, String project, RuleSpec spec) {
        access.require(me, project, Action.ADMINISTER);
        projects.get(me, project); // a system administrator passes any name; the project must exist
        String repositories = spec.repositories() == null || spec.repositories().isBlank() ? "**" : spec.repositories().strip();
        if (spec.tags() == null || spec.tags().isBlank()) {
            throw new InvalidRequestException("An immutable-tag rule needs tags, a glob such as v* or release-*.");
        }
        String tags = spec.tags().strip();
        Glob.ofRepositories("repositories", repositories);
        Glob.ofTags("tags", tags);
        if (rules.existsByProjectAndRepositoriesAndTags(project, repositories, tags)) {
            throw new ConflictException("Project '" + project + "' already has the immutable-tag rule repositories '"
                    + repositories + "', tags '" + tags + "'.");
        }
        Rule rule = rules.save(new ImmutableTagRule(project, repositories, tags, clock.instant(), me)).rule();
        published(me, project, rule.describe() + " added");
        return rule;
    }

    /** Removes a rule; for the project's ADMINs. The tags it covered may be overwritten and deleted again. */
    public void remove(String me, String project, long id) {
        access.require(me, project, Action.ADMINISTER);
        ImmutableTagRule found = found(project, id);
        rules.delete(found);
        published(me, project, found.rule().describe() + " removed");
    }

    /**
     * The first rule that keeps {@code repository:tag} ({@code repository} the full name,
     * {@code project/...}) from being overwritten or deleted, if any. Asked by the paths that change
     * tags for whoever acts - the engine's manifest PUT and DELETE, the catalog's deletions - each after
     * its own authorization, so it answers without one.
     */
    @Transactional(readOnly = true)
    public Optional<Rule> protecting(String repository, String tag) {
        return rulesOf(repository).filter(rule -> Glob.ofTags("tags", rule.tags()).matches(tag)).findFirst();
    }

    /** Whether a rule covers some tags of {@code repository} (the full name), whichever they are; asked like {@link #protecting}. */
    @Transactional(readOnly = true)
    public boolean coverSomeTagOf(String repository) {
        return rulesOf(repository).findAny().isPresent();
    }

    /** The rules of the repository's project whose repositories glob matches it. */
    private Stream<Rule> rulesOf(String repository) {
        String project = ProjectAccess.projectOf(repository);
        String path = repository.length() > project.length() ? repository.substring(project.length() + 1) : "";
        return rules.findByProjectOrderById(project).stream().map(ImmutableTagRule::rule)
                .filter(rule -> Glob.ofRepositories("repositories", rule.repositories()).matches(path));
    }

    /**
     * The sentence a refused overwrite or deletion of {@code repository:tag} gives, naming the rule; empty
     * when no rule covers the tag.
     */
    @Transactional(readOnly = true)
    public Optional<String> refusal(String repository, String tag) {
        return protecting(repository, tag).map(rule -> "Tag " + tag + " of " + repository + " is immutable under " + rule.describe()
                + ": it keeps its digest and cannot be deleted. Push under a new tag, or ask an ADMIN of the project to remove the rule.");
    }

    private ImmutableTagRule found(String project, long id) {
        return rules.findByIdAndProject(id, project)
                .orElseThrow(() -> new NotFoundException("Project '" + project + "' has no immutable-tag rule " + id + "."));
    }

    private void published(String me, String project, String detail) {
        RequestOrigin origin = RequestOrigin.current();
        publisher.publishEvent(new PolicyChanged(clock.instant(), me, origin.address(), origin.via(), project, detail));
    }
}
