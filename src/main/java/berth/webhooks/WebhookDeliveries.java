package berth.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface WebhookDeliveries extends JpaRepository<WebhookDelivery, Long> {

    boolean existsByEndpointIdAndEventId(long endpointId, String eventId);

    Page<WebhookDelivery> findByEndpointIdOrderBySeqDesc(long endpointId, Pageable page);

    Optional<WebhookDelivery> findByIdAndEndpointId(String id, long endpointId);

    /**
     * The first pending delivery of each endpoint and repository: a repository's later events wait for
     * its earlier ones, so a receiver gets them in order.
     */
    @Query("""
            select d from WebhookDelivery d where d.status = berth.webhooks.DeliveryStatus.PENDING
              and d.seq = (select min(e.seq) from WebhookDelivery e where e.status = berth.webhooks.DeliveryStatus.PENDING
                           and e.endpointId = d.endpointId
                           and (e.repository = d.repository or (e.repository is null and d.repository is null)))
            order by d.seq""")
    List<WebhookDelivery> findHeads();

    @Query("select min(d.nextAttemptAt) from WebhookDelivery d where d.status = berth.webhooks.DeliveryStatus.PENDING")
    Optional<Instant> nextDue();
}
