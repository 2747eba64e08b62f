package berth.registry.storage;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import java.util.UUID;

/**
 * Every storage path the registry uses, and so the layout itself - byte for byte the one of CNCF
 * Distribution's {@code registry/storage/paths.go}, so Distribution and Berth can serve the same
 * directory or bucket:
 *
 * <pre>
 * /docker/registry/v2/
 *   blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;/data            the content of every blob and manifest, once
 *   repositories/&lt;name&gt;/
 *     _layers/&lt;algorithm&gt;/&lt;hex&gt;/link                          "this repository holds blob &lt;digest&gt;"
 *     _manifests/revisions/&lt;algorithm&gt;/&lt;hex&gt;/link              "this repository holds manifest &lt;digest&gt;"
 *     _manifests/tags/&lt;tag&gt;/current/link                        the digest the tag points at now
 *     _manifests/tags/&lt;tag&gt;/index/&lt;algorithm&gt;/&lt;hex&gt;/link       every digest the tag has pointed at
 *     _uploads/&lt;uuid&gt;/data                                     an upload in progress
 *     _uploads/&lt;uuid&gt;/startedat                                when it started (RFC 3339)
 *     _uploads/&lt;uuid&gt;/hashstates/&lt;algorithm&gt;/&lt;offset&gt;         Distribution's saved hash states (Berth re-hashes instead)
 * </pre>
 *
 * A {@code link} file holds a digest as text ({@code sha256:…}, no newline). Blob data becomes
 * visible only by an atomic move of a verified upload, or an atomic {@code putContent} of a
 * manifest; links are written after the content they name. {@code <name>} may have several
 * segments ({@code team/api}); names, tags and digests are validated value types, so no path
 * built here can leave the tree.
 */
public final class StorageLayout {

    private static final String ROOT = "/docker/registry/v2";
    private static final String REPOSITORIES = ROOT + "/repositories";

    private StorageLayout() {
    }

    public static String repositories() {
        return REPOSITORIES;
    }

    public static String repository(RepositoryName name) {
        return REPOSITORIES + "/" + name.value();
    }

    /** Where every blob's content lives, under {@code <algorithm>/<first two hex>/<hex>/data}. */
    public static String blobs() {
        return ROOT + "/blobs";
    }

    public static String layers(RepositoryName name, String algorithm) {
        return repository(name) + "/_layers/" + algorithm;
    }

    public static String blobDirectory(Digest digest) {
        return ROOT + "/blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    public static String blobData(Digest digest) {
        return blobDirectory(digest) + "/data";
    }

    public static String layerLinkDirectory(RepositoryName name, Digest digest) {
        return layers(name, digest.algorithm()) + "/" + digest.hex();
    }

    public static String layerLink(RepositoryName name, Digest digest) {
        return layerLinkDirectory(name, digest) + "/link";
    }

    public static String manifests(RepositoryName name) {
        return repository(name) + "/_manifests";
    }

    public static String revisions(RepositoryName name, String algorithm) {
        return manifests(name) + "/revisions/" + algorithm;
    }

    public static String revisionDirectory(RepositoryName name, Digest digest) {
        return revisions(name, digest.algorithm()) + "/" + digest.hex();
    }

    public static String revisionLink(RepositoryName name, Digest digest) {
        return revisionDirectory(name, digest) + "/link";
    }

    public static String tags(RepositoryName name) {
        return manifests(name) + "/tags";
    }

    public static String tag(RepositoryName name, Tag tag) {
        return tags(name) + "/" + tag.value();
    }

    public static String tagCurrentLink(RepositoryName name, Tag tag) {
        return tag(name, tag) + "/current/link";
    }

    public static String tagIndexLink(RepositoryName name, Tag tag, Digest digest) {
        return tagIndexDirectory(name, tag, digest) + "/link";
    }

    public static String tagIndexDirectory(RepositoryName name, Tag tag, Digest digest) {
        return tag(name, tag) + "/index/" + digest.algorithm() + "/" + digest.hex();
    }

    public static String uploads(RepositoryName name) {
        return repository(name) + "/_uploads";
    }

    public static String upload(RepositoryName name, UUID id) {
        return uploads(name) + "/" + id;
    }

    public static String uploadData(RepositoryName name, UUID id) {
        return upload(name, id) + "/data";
    }

    public static String uploadStartedAt(RepositoryName name, UUID id) {
        return upload(name, id) + "/startedat";
    }

    /** The text of a link file that names {@code digest}. */
    public static byte[] linkContent(Digest digest) {
        return digest.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The last segment of a path. */
    public static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
