package berth.catalog.store;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ReferrerEntries extends JpaRepository<ReferrerEntry, Long> {

    List<ReferrerEntry> findByRepositoryAndSubjectDigest(String repository, String subjectDigest);

    Optional<ReferrerEntry> findByRepositoryAndDigest(String repository, String digest);

    @Modifying
    @Query("delete from ReferrerEntry r where r.repository = :repository and r.digest = :digest")
    int deleteNow(@Param("repository") String repository, @Param("digest") String digest);
}
