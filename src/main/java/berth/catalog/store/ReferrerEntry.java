package berth.catalog.store;

import berth.base.GeneratedIdEntity;
import berth.oci.Digest;
import berth.oci.RepositoryName;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An artifact pushed by digest onto a subject (a signature, an SBOM) in one repository. No tag
 * points at it, and neither the registry's tag list nor CNCF Distribution 2.8 lists it, so this row
 * is how the catalog knows it is there.
 */
@Entity
@Table(name = "catalog_referrer")
public class ReferrerEntry extends GeneratedIdEntity {

    private RepositoryName repository;

    private Digest digest;

    private Digest subjectDigest;

    private Instant pushedAt;

    /** For JPA only, which sets every field. */
    @SuppressWarnings("NullAway")
    protected ReferrerEntry() {
        this.pushedAt = Instant.EPOCH;
    }

    ReferrerEntry(RepositoryName repository, Digest digest, Digest subjectDigest, Instant pushedAt) {
        this.repository = repository;
        this.digest = digest;
        this.subjectDigest = subjectDigest;
        this.pushedAt = TagEntry.micros(pushedAt);
    }

    public Digest digest() {
        return digest;
    }

    public Instant pushedAt() {
        return pushedAt;
    }
}
