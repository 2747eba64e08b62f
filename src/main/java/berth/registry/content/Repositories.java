package berth.registry.content;

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

    static RegistryException unknown(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "There is no repository " + name + ".",
                java.util.Map.of("name", name.value()));
    }
}
