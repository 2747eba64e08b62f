package berth.catalog.store;

import berth.oci.RepositoryName;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface RepositoryEntries extends JpaRepository<RepositoryEntry, Long> {

    Optional<RepositoryEntry> findByName(RepositoryName name);

    Page<RepositoryEntry> findByProject(String project, Pageable pageable);

    Page<RepositoryEntry> findByProjectAndNameContainingIgnoreCase(String project, String name, Pageable pageable);

    @Modifying
    @Query("delete from RepositoryEntry r where r.id = :id")
    void deleteByIdNow(@Param("id") long id);
}
