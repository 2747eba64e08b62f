package berth.catalog.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A repository with at least one tag, and the counts its list row shows. */
@Entity
@Table(name = "catalog_repository")
public class RepositoryEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    private String name;

    private String project;

    private int tagCount;

    private long totalSize;

    private Instant createdAt;

    @Column(name = "last_push_at")
    private Instant lastPushAt;

    protected RepositoryEntry() {
        this.name = "";
        this.project = "";
        this.createdAt = Instant.EPOCH;
        this.lastPushAt = Instant.EPOCH;
    }

    RepositoryEntry(String name, String project, Instant createdAt) {
        this.name = name;
        this.project = project;
        this.createdAt = createdAt;
        this.lastPushAt = createdAt;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("repository " + name + " is not saved yet");
        }
        return id;
    }

    public String name() {
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
