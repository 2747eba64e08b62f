package berth.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AppkeyRepository extends JpaRepository<Appkey, Long> {

    @Query("select k from Appkey k join fetch k.account join fetch k.project where k.fingerprint = ?1")
    Optional<Appkey> findByFingerprint(String fingerprint);

    @Query("""
            select k from Appkey k where k.account.id = ?1 and k.project.id = ?2
             and k.kind = berth.auth.Appkey.Kind.PERSONAL and k.revokedAt is null""")
    List<Appkey> findLivePersonal(long accountId, long projectId);

    @Query("""
            select k from Appkey k join fetch k.account where k.project.id = ?1
             and k.kind = berth.auth.Appkey.Kind.PROJECT and k.revokedAt is null order by k.name""")
    List<Appkey> findLiveProjectKeys(long projectId);

    @Query("""
            select k from Appkey k where k.project.id = ?1 and k.name = ?2
             and k.kind = berth.auth.Appkey.Kind.PROJECT and k.revokedAt is null""")
    Optional<Appkey> findLiveProjectKey(long projectId, String name);
}
