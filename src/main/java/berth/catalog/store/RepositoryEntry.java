package berth.catalog.store;

import berth.base.GeneratedIdEntity;
import berth.oci.RepositoryName;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A repository with at least one tag, and the counts its list row shows. */
@Entity
@Table(name = "catalog_repository")
public class RepositoryEntry extends GeneratedIdEntity {

    private RepositoryName name;

    private String project;

    private int tagCount;

    private long totalSize;

    private Instant createdAt;

    @Column(name = "last_push_at")
    private Instant lastPushAt;

    /** For JPA only, which sets every field. */
    @SuppressWarnings("NullAway")
    protected RepositoryEntry() {
        this.project = "";
        this.createdAt = Instant.EPOCH;
        this.lastPushAt = Instant.EPOCH;
    }

    RepositoryEntry(RepositoryName name, Instant createdAt) {
        this.name = name;
        this.project = name.project();
        this.createdAt = createdAt;
        this.lastPushAt = createdAt;
    }

    public RepositoryName name() {
        return name;
    }

    public String project() {
        return project;
    }

    public int tagCount() {
        return tagCount;
    }

    public long totalSize() {
        return totalSize;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastPushAt() {
        return lastPushAt;
    }

    void recount(int tagCount, long totalSize, Instant lastPushAt) {
        this.tagCount = tagCount;
        this.totalSize = totalSize;
        this.lastPushAt = lastPushAt;
    }
}
