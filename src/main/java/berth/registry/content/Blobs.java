package berth.registry.content;

import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.registry.storage.FileInfo;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import berth.registry.usage.StorageUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Blobs as a repository sees them: content stored once under {@code blobs/}, visible in a
 * repository only through a link in its {@code _layers} (or, for manifests, {@code _manifests/revisions}).
 */
@Component
public record Blobs(StorageDriver driver, BlobFence fence, StorageUsage usage) {

    /** A blob a repository may serve. */
    public record Blob(Digest digest, long size, String storagePath) {
    }

    /** The blob, if {@code name} links it and its content exists; {@link ErrorCode#BLOB_UNKNOWN} otherwise. */
    public Blob find(RepositoryName name, Digest digest) throws IOException {
        if (!isLinked(name, digest) && !exists(StorageLayout.revisionLink(name, digest))) {
            throw unknown(name, digest);
        }
        String data = StorageLayout.blobData(digest);
        try {
            return new Blob(digest, driver.stat(data).size(), data);
        } catch (PathNotFoundException e) {
            throw unknown(name, digest);
        }
    }

    public boolean isLinked(RepositoryName name, Digest digest) throws IOException {
        return exists(StorageLayout.layerLink(name, digest)) && exists(StorageLayout.blobData(digest));
    }

    /** Size of the stored content, regardless of repository. */
    public Optional<Long> sizeOf(Digest digest) throws IOException {
        try {
            FileInfo info = driver.stat(StorageLayout.blobData(digest));
            return Optional.of(info.size());
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Makes stored content of {@code size} bytes visible in a repository, and counts it in the repository's usage. */
    public void link(RepositoryName name, Digest digest, long size) throws IOException {
        driver.putContent(StorageLayout.layerLink(name, digest), StorageLayout.linkContent(digest));
        usage.linked(name, digest, size);
    }

    /**
     * Links into {@code to} a blob that {@code from} links (a cross-repository mount), under the
     * write barrier; false when {@code from} does not have it.
     */
    public boolean mount(RepositoryName from, RepositoryName to, Digest digest) throws IOException {
        return fence.guarded(java.util.List.of(digest), () -> {
            if (!isLinked(from, digest)) {
                return false;
            }
            link(to, digest, sizeOf(digest).orElse(0L));
            return true;
        });
    }

    /** Records that a client just learned the blob exists (a HEAD), so the collector spares it for the grace period. */
    public void touch(Digest digest) {
        fence.touch(digest);
    }

    /** Removes a blob from a repository; the content stays until garbage collection, as in Distribution. */
    public void unlink(RepositoryName name, Digest digest) throws IOException {
        try {
            driver.delete(StorageLayout.layerLinkDirectory(name, digest));
        } catch (PathNotFoundException e) {
            throw unknown(name, digest);
        }
        usage.unlinked(name, digest);
    }

    public InputStream open(Blob blob, long offset) throws IOException {
        return driver.reader(blob.storagePath(), offset);
    }

    public Optional<Path> localFile(Blob blob) {
        return driver.localFile(blob.storagePath());
    }

    /** Where the client may fetch the blob from the storage itself, when the driver offers that. */
    public Optional<java.net.URI> redirectUrl(Blob blob) {
        return driver.redirectUrl(blob.storagePath());
    }

    private boolean exists(String path) throws IOException {
        try {
            driver.stat(path);
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    private static RegistryException unknown(RepositoryName name, Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "Blob " + digest + " is not in repository " + name + ".",
                java.util.Map.of("digest", digest.toString()));
    }
}
