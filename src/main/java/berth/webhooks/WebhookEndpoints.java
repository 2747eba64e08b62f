package berth.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface WebhookEndpoints extends JpaRepository<WebhookEndpoint, Long> {

    List<WebhookEndpoint> findByProjectOrderById(String project);

    Optional<WebhookEndpoint> findByIdAndProject(long id, String project);
}
