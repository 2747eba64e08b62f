package berth.registry.content;

import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Tags of a repository: names pointing at manifest digests. */
@Component
public record Tags(StorageDriver driver) {

    /** The digest the tag points at, if the tag exists. */
    public Optional<Digest> resolve(RepositoryName name, Tag tag) throws IOException {
        try {
            return Optional.of(readLink(driver, StorageLayout.tagCurrentLink(name, tag)));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Points the tag at a manifest; its history index first, then the current link, as Distribution does. */
    public void tag(RepositoryName name, Tag tag, Digest digest) throws IOException {
        driver.putContent(StorageLayout.tagIndexLink(name, tag, digest), StorageLayout.linkContent(digest));
        driver.putContent(StorageLayout.tagCurrentLink(name, tag), StorageLayout.linkContent(digest));
    }

    /** Removes the tag only; the manifest stays, reachable by digest. */
    public void untag(RepositoryName name, Tag tag) throws IOException {
        try {
            driver.delete(StorageLayout.tag(name, tag));
        } catch (PathNotFoundException e) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "Repository " + name + " has no tag " + tag + ".",
                    java.util.Map.of("tag", tag.value()));
        }
    }

    /** Every tag of the repository in lexical order; {@link ErrorCode#NAME_UNKNOWN} if there is no such repository. */
    public List<String> list(RepositoryName name) throws IOException {
        try {
            List<String> tags = new ArrayList<>();
            for (String path : driver.list(StorageLayout.tags(name))) {
                tags.add(StorageLayout.lastSegment(path));
            }
            tags.sort(null);
            return tags;
        } catch (PathNotFoundException e) {
            try {
                driver.stat(StorageLayout.repository(name));
                return List.of();
            } catch (PathNotFoundException noRepository) {
                throw Repositories.unknown(name);
            }
        }
    }

    /** The tags currently pointing at {@code digest}. */
    public List<Tag> pointingAt(RepositoryName name, Digest digest) throws IOException {
        List<Tag> result = new ArrayList<>();
        List<String> all;
        try {
            all = list(name);
        } catch (RegistryException e) {
            return result;
        }
        for (String text : all) {
            Tag tag;
            try {
                tag = new Tag(text);
            } catch (RegistryException e) {
                continue; // a directory no client could have created through the API
            }
            if (resolve(name, tag).filter(digest::equals).isPresent()) {
                result.add(tag);
            }
        }
        return result;
    }

    static Digest readLink(StorageDriver driver, String path) throws IOException {
        String text = new String(driver.getContent(path), StandardCharsets.US_ASCII).trim();
        try {
            return Digest.parse(text);
        } catch (RegistryException e) {
            throw new IOException("corrupt link file " + path, e);
        }
    }
}
