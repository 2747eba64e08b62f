package berth.catalog.store;

import berth.oci.RepositoryName;
import java.util.Locale;
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

    /**
     * The project's repositories whose name holds {@code part}, in any case. Written out because a
     * derived query would bind the part as a {@link RepositoryName}; names are lowercase, so
     * lowercasing the part is ignoring case.
     */
    default Page<RepositoryEntry> findByProjectAndNameContaining(String project, String part, Pageable pageable) {
        String escaped = part.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return findByProjectAndNameLike(project, "%" + escaped + "%", pageable);
    }

    @Query("select r from RepositoryEntry r where r.project = :project and cast(r.name as String) like :pattern escape '\\'")
    Page<RepositoryEntry> findByProjectAndNameLike(@Param("project") String project, @Param("pattern") String pattern, Pageable pageable);

    @Modifying
    @Query("delete from RepositoryEntry r where r.id = :id")
    void deleteByIdNow(@Param("id") long id);
}
