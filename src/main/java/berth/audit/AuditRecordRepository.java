package berth.audit;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface AuditRecordRepository extends JpaRepository<AuditRecord, Long>, JpaSpecificationExecutor<AuditRecord> {

    boolean existsByEventId(String eventId);

    /** The record that counts this hour's pulls or failed logins of one kind, if there is one yet. */
    @Query("""
            select r from AuditRecord r where r.action = :action and r.at = :hour and r.actor = :actor
              and (r.address = :address or (r.address is null and :address is null))
              and (r.repository = :repository or (r.repository is null and :repository is null))
              and (r.tag = :tag or (r.tag is null and :tag is null))""")
    Optional<AuditRecord> findCounter(AuditAction action, Instant hour, String actor, String address, String repository, String tag);

    @Modifying
    @Query("delete from AuditRecord r where r.at < :before")
    int deleteOlderThan(Instant before);
}
