package berth.catalog.web;

import berth.catalog.remote.DistributionConfig;
import java.security.Principal;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What an operator needs to put a CNCF Distribution behind Berth; system administrators only. */
@RestController
record RegistrySetupApi(DistributionConfig config) {

    /** The config fragment (YAML) for Distribution's config.yml: auth.token, notifications, deletes. */
    @GetMapping(path = "/api/v1/registry/distribution-config", produces = "application/yaml")
    ResponseEntity<String> distributionConfig(Principal principal) {
        String fragment = config.fragmentFor(principal.getName());
        return ResponseEntity.ok()
                .header("Content-Disposition", "attachment; filename=\"berth-distribution.yml\"")
                .contentType(MediaType.parseMediaType("application/yaml"))
                .body(fragment);
    }
}
