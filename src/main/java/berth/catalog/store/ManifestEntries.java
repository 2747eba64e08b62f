package berth.catalog.store;

import berth.oci.Digest;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface ManifestEntries extends JpaRepository<ManifestEntry, Digest> {

    /**
     * Manifests no tag, no index and no attached-artifact record points at any more; layers and
     * children go with them (ON DELETE CASCADE).
     */
    @Modifying
    @Query(value = "DELETE FROM catalog_manifest WHERE NOT EXISTS (SELECT 1 FROM catalog_tag t WHERE t.digest = catalog_manifest.digest) "
            + "AND NOT EXISTS (SELECT 1 FROM catalog_manifest_child c WHERE c.digest = catalog_manifest.digest) "
            + "AND NOT EXISTS (SELECT 1 FROM catalog_referrer r WHERE r.digest = catalog_manifest.digest)", nativeQuery = true)
    int deleteUnreferenced();
}
