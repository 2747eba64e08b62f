package berth.policy.immutable;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** The rows of the immutable-tag rules, read per project (an indexed column), oldest rule first. */
public interface ImmutableTagRuleRepository extends JpaRepository<ImmutableTagRule, Long> {

    List<ImmutableTagRule> findByProjectOrderById(String project);

    Optional<ImmutableTagRule> findByIdAndProject(long id, String project);

    boolean existsByProjectAndRepositoriesAndTags(String project, String repositories, String tags);
}
