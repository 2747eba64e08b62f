package berth.registry;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The manifests of a repository that no tag references, as the embedded engine's storage knows them
 * (revisions and the tags' current links; the catalog only knows tags), for a caller that removes
 * them such as retention. A manifest referenced by a kept one stays: an index's platform manifests,
 * the referrers (signatures, SBOMs) of a kept manifest. So does one touched less than
 * {@code berth.registry.gc.grace} ago: a multi-platform push sends its platform manifests by digest
 * before the index that names them. Only in embedded mode: CNCF Distribution's API lists no untagged
 * manifests.
 */
public interface UntaggedManifests {

    /**
     * An untagged manifest.
     *
     * @param size the manifest's own bytes plus its config and layers as its descriptors say (an
     *             index's platform manifests are manifests of their own, not counted in it)
     */
    record Untagged(Digest digest, long size) {
    }

    /** The untagged manifests of {@code repository} as they would be once {@code goneTags} are deleted, by digest. */
    List<Untagged> untagged(RepositoryName repository, Set<Tag> goneTags) throws IOException;

    /**
     * What {@link #remove} did: the manifests it removed, by digest, and a sentence for each it could
     * not (the others went nonetheless).
     */
    record Removal(List<Untagged> removed, List<String> failures) {
    }

    /**
     * Removes the untagged manifests of {@code repository} now, behind the write barrier garbage
     * collection uses (a manifest tagged or pushed again meanwhile stays), each announced as a
     * {@code DELETE} by {@code actor} so the catalog, the audit log and webhooks follow. Their blobs
     * are left for garbage collection.
     */
    Removal remove(RepositoryName repository, String actor) throws IOException;
}
