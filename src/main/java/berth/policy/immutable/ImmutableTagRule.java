package berth.policy.immutable;

import berth.base.GeneratedIdEntity;
import berth.policy.ImmutableTagRules;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One rule of a project: tags matching {@code tags} in repositories matching {@code repositories}
 * (a glob over the name within the project) keep their digest and cannot be deleted. Rules are added
 * and removed, never changed: a changed rule would silently free tags that people trusted.
 */
@Entity
@Table(name = "immutable_tag_rule")
public class ImmutableTagRule extends GeneratedIdEntity {

    @Column(nullable = false)
    private String project;
    @Column(nullable = false)
    private String repositories;
    @Column(nullable = false)
    private String tags;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @SuppressWarnings("NullAway")
    protected ImmutableTagRule() {
    }

    public ImmutableTagRule(String project, String repositories, String tags, Instant createdAt, String createdBy) {
        this.project = project;
        this.repositories = repositories;
        this.tags = tags;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    /** The rule as the API and console show it, and as the checks read it. */
    public ImmutableTagRules.Rule rule() {
        return new ImmutableTagRules.Rule(id(), repositories, tags);
    }
}
