package berth.registry.gc;

import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/registry/gc}: start a garbage collection run, see one, list them. System administrators only. */
@RestController
record GarbageCollectionApi(GarbageCollection collection) {

    /**
     * What to run. {@code grace} (ISO-8601, e.g. {@code PT0S}) overrides {@code berth.registry.gc.grace}
     * for this run: zero collects what was pushed a moment ago but never referenced.
     */
    record Start(@Nullable Boolean dryRun, @Nullable Boolean deleteUntagged, @Nullable Duration grace) {
    }

    @PostMapping("/api/v1/registry/gc")
    ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) @Nullable Start request, Principal principal) {
        Start options = request != null ? request : new Start(null, null, null);
        GcRun run = collection.start(principal.getName(), options.dryRun(), options.deleteUntagged(), options.grace());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", run.id());
        body.put("state", run.state());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    @GetMapping("/api/v1/registry/gc/{id}")
    GcRun run(@PathVariable long id, Principal principal) {
        return collection.run(principal.getName(), id);
    }

    @GetMapping("/api/v1/registry/gc")
    List<GcRun> runs(Principal principal) {
        return collection.runs(principal.getName());
    }
}
