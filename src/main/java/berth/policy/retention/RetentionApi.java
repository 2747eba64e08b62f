package berth.policy.retention;

import berth.policy.retention.RetentionPolicy.Rule;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A project's retention over REST; {@link Retention} decides who may do what. */
@RestController
record RetentionApi(Retention retention) {

    /** The policy as PUT takes it; {@code schedule} null: runs only on demand. */
    record PolicyBody(@Nullable List<RuleBody> rules, @Nullable String untagged, @Nullable String schedule) {
    }

    /** A rule as PUT takes it: {@code tagsExclude} and, for {@code always}, {@code value} may be left out. */
    record RuleBody(@Nullable String repositories, @Nullable String tagsInclude, @Nullable String tagsExclude,
                    RetentionPolicy.@Nullable Retain retain, @Nullable Integer value) {

        Rule rule() {
            return new Rule(repositories == null ? "" : repositories, tagsInclude == null ? "" : tagsInclude,
                    tagsExclude == null ? "" : tagsExclude, retain, value == null ? 0 : value);
        }
    }

    record Start(@Nullable Boolean dryRun) {
    }

    record Started(long id, RetentionRun.State state) {
    }

    @GetMapping("/api/v1/projects/{project}/retention")
    RetentionPolicy policy(Principal principal, @PathVariable String project) {
        return retention.policy(principal.getName(), project);
    }

    @PutMapping("/api/v1/projects/{project}/retention")
    RetentionPolicy setPolicy(Principal principal, @PathVariable String project, @RequestBody PolicyBody body) {
        List<Rule> rules = body.rules() == null ? null : body.rules().stream().map(r -> r == null ? null : r.rule()).toList();
        return retention.setPolicy(principal.getName(), project, rules, body.untagged(), body.schedule());
    }

    /** Starts a run: 202 {id, state}; {@code dryRun} absent means a real run. 409 while one of the project runs. */
    @PostMapping("/api/v1/projects/{project}/retention/runs")
    ResponseEntity<Started> start(Principal principal, @PathVariable String project, @RequestBody(required = false) @Nullable Start body) {
        RetentionRun run = retention.start(principal.getName(), project, body != null && Boolean.TRUE.equals(body.dryRun()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Started(run.id(), run.state()));
    }

    @GetMapping("/api/v1/projects/{project}/retention/runs")
    List<RetentionRun> runs(Principal principal, @PathVariable String project) {
        return retention.runs(principal.getName(), project);
    }

    @GetMapping("/api/v1/projects/{project}/retention/runs/{id}")
    RetentionRun run(Principal principal, @PathVariable String project, @PathVariable long id) {
        return retention.run(principal.getName(), project, id);
    }
}
