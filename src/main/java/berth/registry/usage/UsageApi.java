package berth.registry.usage;

import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/projects/{project}/usage} (members read) and {@code …/quota} (system administrators set). */
@RestController
record UsageApi(Quotas quotas) {

    record QuotaRequest(@Nullable Long quotaBytes) {
    }

    @GetMapping("/api/v1/projects/{project}/usage")
    Quotas.Usage usage(@PathVariable String project, Principal principal) {
        return quotas.usage(principal.getName(), project);
    }

    @PutMapping("/api/v1/projects/{project}/quota")
    Quotas.Usage quota(@PathVariable String project, @RequestBody QuotaRequest request, Principal principal) {
        return quotas.setQuota(principal.getName(), project, request.quotaBytes());
    }
}
