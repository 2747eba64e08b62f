package berth.policy.immutable;

import berth.policy.ImmutableTagRules;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API of a project's immutable-tag rules: members read them, ADMINs add and remove them. */
@RestController
@RequestMapping(path = "/api/v1/projects/{project}/immutable-tag-rules", produces = "application/json")
@Tag(name = "Policies")
record ImmutableTagRulesApi(ImmutableTagRules rules) {

    @GetMapping
    List<ImmutableTagRules.Rule> list(Principal principal, @PathVariable String project) {
        return rules.list(principal.getName(), project);
    }

    @GetMapping("/{id}")
    ImmutableTagRules.Rule get(Principal principal, @PathVariable String project, @PathVariable long id) {
        return rules.get(principal.getName(), project, id);
    }

    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    ImmutableTagRules.Rule add(Principal principal, @PathVariable String project, @RequestBody ImmutableTagRules.RuleSpec spec) {
        return rules.add(principal.getName(), project, spec);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(Principal principal, @PathVariable String project, @PathVariable long id) {
        rules.remove(principal.getName(), project, id);
    }
}
