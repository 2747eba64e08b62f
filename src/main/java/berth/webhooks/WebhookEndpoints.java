package berth.webhooks;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface WebhookEndpoints extends JpaRepository<WebhookEndpoint, Long> {

    List<WebhookEndpoint> findByProjectOrderById(String project);

    Optional<WebhookEndpoint> findByIdAndProject(long id, String project);
}
