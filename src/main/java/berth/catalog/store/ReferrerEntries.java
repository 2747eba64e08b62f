package berth.catalog.store;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ReferrerEntries extends JpaRepository<ReferrerEntry, Long> {

    List<ReferrerEntry> findByRepositoryAndSubjectDigest(RepositoryName repository, Digest subjectDigest);

    Optional<ReferrerEntry> findByRepositoryAndDigest(RepositoryName repository, Digest digest);

    @Modifying
    @Query("delete from ReferrerEntry r where r.repository = :repository and r.digest = :digest")
    int deleteNow(@Param("repository") RepositoryName repository, @Param("digest") Digest digest);
}
