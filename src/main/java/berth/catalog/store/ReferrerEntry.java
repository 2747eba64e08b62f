package berth.catalog.store;

import berth.base.GeneratedIdEntity;
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

    private String repository;

    private String digest;

    private String subjectDigest;

    private Instant pushedAt;

    protected ReferrerEntry() {
        this.repository = "";
        this.digest = "";
        this.subjectDigest = "";
        this.pushedAt = Instant.EPOCH;
    }

    ReferrerEntry(String repository, String digest, String subjectDigest, Instant pushedAt) {
        this.repository = repository;
        this.digest = digest;
        this.subjectDigest = subjectDigest;
        this.pushedAt = TagEntry.micros(pushedAt);
    }

    public String digest() {
        return digest;
    }

    public Instant pushedAt() {
        return pushedAt;
    }
}
