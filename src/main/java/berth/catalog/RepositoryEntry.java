package berth.catalog;

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
class RepositoryEntry {

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

    long id() {
        if (id == null) {
            throw new IllegalStateException("repository " + name + " is not saved yet");
        }
        return id;
    }

    String name() {
        return name;
    }

    String project() {
        return project;
    }

    int tagCount() {
        return tagCount;
    }

    long totalSize() {
        return totalSize;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastPushAt() {
        return lastPushAt;
    }

    void recount(int tagCount, long totalSize, Instant lastPushAt) {
        this.tagCount = tagCount;
        this.totalSize = totalSize;
        this.lastPushAt = lastPushAt;
    }
}
