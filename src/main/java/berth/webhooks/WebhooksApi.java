package berth.webhooks;

import berth.base.Listing;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API of a project's webhooks, for its ADMINs. */
@RestController
@RequestMapping(path = "/api/v1/projects/{project}/webhooks", produces = "application/json")
@Tag(name = "Webhooks")
record WebhooksApi(Webhooks webhooks) {

    @GetMapping
    List<Webhooks.EndpointView> list(Principal principal, @PathVariable String project) {
        return webhooks.list(principal.getName(), project);
    }

    @PostMapping(consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    Webhooks.EndpointView create(Principal principal, @PathVariable String project, @RequestBody Webhooks.EndpointSpec spec) {
        return webhooks.create(principal.getName(), project, spec);
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    Webhooks.EndpointView update(Principal principal, @PathVariable String project, @PathVariable long id,
                                 @RequestBody Webhooks.EndpointSpec spec) {
        return webhooks.update(principal.getName(), project, id, spec);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Principal principal, @PathVariable String project, @PathVariable long id) {
        webhooks.delete(principal.getName(), project, id);
    }

    /** Queues a test event; 202 with the delivery, whose outcome the deliveries list shows. */
    @PostMapping("/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    WebhookDeliveryView test(Principal principal, @PathVariable String project, @PathVariable long id) {
        return webhooks.test(principal.getName(), project, id);
    }

    @GetMapping("/{id}/deliveries")
    Listing<WebhookDeliveryView> deliveries(Principal principal, @PathVariable String project, @PathVariable long id,
                                                     @RequestParam(defaultValue = "0") int page,
                                                     @RequestParam(defaultValue = "50") int size) {
        return Listing.of(webhooks.deliveries(principal.getName(), project, id, page, size));
    }

    @PostMapping("/{id}/deliveries/{delivery}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    WebhookDeliveryView retry(Principal principal, @PathVariable String project, @PathVariable long id,
                                       @PathVariable String delivery) {
        return webhooks.retry(principal.getName(), project, id, delivery);
    }
}
