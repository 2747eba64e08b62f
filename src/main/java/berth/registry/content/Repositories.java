package berth.registry.content;

import berth.oci.Digest;
import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.registry.storage.FileInfo;
import berth.registry.storage.PathNotFoundException;
import berth.registry.storage.StorageDriver;
import berth.registry.storage.StorageLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** The repositories in storage, found as CNCF Distribution finds them: directories holding {@code _manifests}. */
@Component
public record Repositories(StorageDriver driver) {

    /** Every repository name in lexical order. */
    public List<String> list() throws IOException {
        String root = StorageLayout.repositories();
        List<String> names = new ArrayList<>();
        try {
            driver.walk(root, (FileInfo info) -> {
                if (!info.directory()) {
                    return false;
                }
                String last = StorageLayout.lastSegment(info.path());
                if (last.startsWith("_")) {
                    if ("_manifests".equals(last)) {
                        String repository = info.path().substring(root.length() + 1, info.path().length() - last.length() - 1);
                        names.add(repository);
                    }
                    return false;
                }
                return true;
            });
        } catch (PathNotFoundException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    public boolean exists(RepositoryName name) throws IOException {
        try {
            driver.stat(StorageLayout.repository(name));
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /** The digests of the repository's manifest revisions ({@code _manifests/revisions/sha256/*}), tagged or not. */
    public List<Digest> revisions(RepositoryName name) throws IOException {
        List<Digest> digests = new ArrayList<>();
        List<String> paths;
        try {
            paths = driver.list(StorageLayout.revisions(name, "sha256"));
        } catch (PathNotFoundException none) {
            return digests;
        }
        for (String path : paths) {
            try {
                digests.add(new Digest("sha256", StorageLayout.lastSegment(path)));
            } catch (RegistryException notADigest) {
                // a directory no client could have created through the API
            }
        }
        return digests;
    }

    static RegistryException unknown(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "There is no repository " + name + ".",
                java.util.Map.of("name", name.value()));
    }
}
