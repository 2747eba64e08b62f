package berth.audit;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface AuditRecordRepository extends JpaRepository<AuditRecord, Long>, JpaSpecificationExecutor<AuditRecord> {

    boolean existsByEventId(String eventId);

    /** Which of {@code eventIds} are recorded already: one query for a batch of events handed over again. */
    @Query("select r.eventId from AuditRecord r where r.eventId in :eventIds")
    java.util.List<String> findRecordedEventIds(java.util.Collection<String> eventIds);

    /** The record that counts this hour's pulls or failed logins of one kind, if there is one yet. */
    @Query("""
            select r from AuditRecord r where r.action = :action and r.at >= :hour and r.at < :nextHour and r.actor = :actor
              and (r.address = :address or (r.address is null and :address is null))
              and (r.repository = :repository or (r.repository is null and :repository is null))
              and (r.tag = :tag or (r.tag is null and :tag is null))
              and (r.digest = :digest or (r.digest is null and :digest is null))""")
    Optional<AuditRecord> findCounter(AuditAction action, Instant hour, Instant nextHour, String actor, String address,
                                      String repository, String tag, String digest);

    /**
     * The record that counts {@code action}s within the hour of {@code at}: at most one per hour and key. A pull by
     * digest has a key of its own ({@code tag} null, {@code digest} set), apart from the tag's and other digests'.
     */
    default Optional<AuditRecord> findCounter(AuditAction action, Instant at, String actor, @org.jspecify.annotations.Nullable String address,
                                              @org.jspecify.annotations.Nullable String repository,
                                              @org.jspecify.annotations.Nullable String tag,
                                              @org.jspecify.annotations.Nullable String digest) {
        Instant hour = at.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return findCounter(action, hour, hour.plus(java.time.Duration.ofHours(1)), actor, address, repository, tag, digest);
    }

    @Transactional
    @Modifying
    @Query("delete from AuditRecord r where r.at < :before")
    int deleteOlderThan(Instant before);
}
