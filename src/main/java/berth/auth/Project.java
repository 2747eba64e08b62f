package berth.auth;

import berth.base.GeneratedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant: its repositories live under the registry address {@code {registry host}/{name}}. */
@Entity
@Table(name = "project")
public class Project extends GeneratedIdEntity {

    @Column(nullable = false, unique = true)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private long createdBy;

    protected Project() {
        this.name = "";
        this.createdAt = Instant.EPOCH;
    }

    Project(ProjectName name, long createdBy, Instant createdAt) {
        this.name = name.value();
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
