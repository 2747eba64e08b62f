package berth.catalog.store;

import berth.base.GeneratedIdEntity;
import berth.oci.Digest;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A tag and the manifest it points at, with the manifest's size, media type and platforms
 * repeated so the tag list needs no join.
 */
@Entity
@Table(name = "catalog_tag")
public class TagEntry extends GeneratedIdEntity {

    private long repositoryId;

    private String name;

    private Digest digest;

    private String mediaType;

    private long size;

    private @Nullable String platforms;

    private Instant pushedAt;

    private @Nullable Instant lastPulledAt;

    private long pullCount;

    /** When the registry was last seen to point this tag at this digest. */
    private Instant observedAt;

    /** For JPA only, which sets every field. */
    @SuppressWarnings("NullAway")
    protected TagEntry() {
        this.name = "";
        this.mediaType = "";
        this.pushedAt = Instant.EPOCH;
        this.observedAt = Instant.EPOCH;
    }

    TagEntry(long repositoryId, String name, ManifestEntry manifest, Instant pushedAt, Instant observedAt) {
        this.repositoryId = repositoryId;
        this.name = name;
        this.pushedAt = micros(pushedAt);
        this.digest = manifest.digest();
        this.mediaType = "";
        this.observedAt = observedAt;
        pointAt(manifest, pushedAt, observedAt);
    }

    void pointAt(ManifestEntry manifest, Instant pushedAt, Instant observedAt) {
        this.digest = manifest.digest();
        this.mediaType = manifest.mediaType();
        this.size = manifest.totalSize();
        this.platforms = manifest.platformSummary();
        this.pushedAt = micros(pushedAt);
        this.observedAt = micros(observedAt);
    }

    void confirm(Instant observedAt) {
        if (observedAt.isAfter(this.observedAt)) {
            this.observedAt = micros(observedAt);
        }
    }

    void pushedAgain(Instant when) {
        if (when.isAfter(pushedAt)) {
            pushedAt = micros(when);
        }
    }

    /** The database keeps microseconds; comparisons must see what it will give back. */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    long repositoryId() {
        return repositoryId;
    }

    public String name() {
        return name;
    }

    public Digest digest() {
        return digest;
    }

    public String mediaType() {
        return mediaType;
    }

    public long size() {
        return size;
    }

    public @Nullable String platforms() {
        return platforms;
    }

    public Instant pushedAt() {
        return pushedAt;
    }

    public @Nullable Instant lastPulledAt() {
        return lastPulledAt;
    }

    public long pullCount() {
        return pullCount;
    }

    Instant observedAt() {
        return observedAt;
    }
}
