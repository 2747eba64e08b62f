package berth.catalog.store;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface TagEntries extends JpaRepository<TagEntry, Long> {

    Optional<TagEntry> findByRepositoryIdAndName(long repositoryId, String name);

    List<TagEntry> findByRepositoryId(long repositoryId);

    List<TagEntry> findByRepositoryIdAndDigest(long repositoryId, Digest digest);

    Page<TagEntry> findByRepositoryId(long repositoryId, Pageable pageable);

    Page<TagEntry> findByRepositoryIdAndNameContainingIgnoreCase(long repositoryId, String name, Pageable pageable);

    /** Each tag of a repository and its digest, without loading the tags as entities. */
    @Query("select t.name, t.digest from TagEntry t, RepositoryEntry r where t.repositoryId = r.id and r.name = :repository")
    List<Object[]> namesAndDigests(@Param("repository") RepositoryName repository);

    /** Tag count and newest push of a repository, for its row. */
    @Query("select count(t), max(t.pushedAt) from TagEntry t where t.repositoryId = :repositoryId")
    List<Object[]> countAndNewestPush(@Param("repositoryId") long repositoryId);

    /** A repository's size: each distinct manifest once, however many tags point at it. */
    @Query(value = "SELECT COALESCE(SUM(size), 0) FROM (SELECT DISTINCT digest, size FROM catalog_tag WHERE repository_id = :repositoryId) d",
            nativeQuery = true)
    long distinctSize(@Param("repositoryId") long repositoryId);

    @Modifying
    @Query("delete from TagEntry t where t.repositoryId = :repositoryId")
    void deleteByRepositoryIdNow(@Param("repositoryId") long repositoryId);

    @Modifying
    @Query("update TagEntry t set t.pullCount = t.pullCount + :count, t.lastPulledAt = case when t.lastPulledAt is null or t.lastPulledAt < :when then :when else t.lastPulledAt end "
            + "where t.repositoryId = :repositoryId and t.name = :name")
    int pulled(@Param("repositoryId") long repositoryId, @Param("name") String name, @Param("count") long count, @Param("when") Instant when);

    /** The tags of a repository whose manifest is attached to {@code subject}, e.g. a signature pushed under a tag. */
    @Query("select t from TagEntry t, ManifestEntry m where t.repositoryId = :repositoryId and t.digest = m.digest and m.subjectDigest = :subject")
    List<TagEntry> taggedAttachedTo(@Param("repositoryId") long repositoryId, @Param("subject") Digest subject);
}
