package berth.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface MembershipRepository extends JpaRepository<Membership, Long> {

    @Query("select m from Membership m join fetch m.account join fetch m.project where m.project.name = ?1 and m.account.email = ?2")
    Optional<Membership> find(String project, String email);

    @Query("select m from Membership m join fetch m.account where m.project.id = ?1 order by m.account.email")
    List<Membership> findByProject(long projectId);

    @Query("select m from Membership m join fetch m.project where m.account.id = ?1 order by m.project.name")
    List<Membership> findByAccount(long accountId);

    @Query("select p.id from Project p where p.name = ?1")
    Optional<Long> findProjectId(String project);

    @Query("select count(m) from Membership m where m.project.id = ?1 and m.role = berth.auth.Role.ADMIN")
    long countAdmins(long projectId);
}
