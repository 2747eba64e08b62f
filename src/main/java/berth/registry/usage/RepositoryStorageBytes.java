package berth.registry.usage;

import berth.catalog.RepositoryStorage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The usage column of the catalog's repository list: each repository's bytes, as {@link Quotas#usage} counts them. */
@Component
record RepositoryStorageBytes(Quotas quotas) implements RepositoryStorage {

    @Override
    public Map<String, Long> bytesByRepository(String me, String project) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        quotas.usage(me, project).repositories().forEach(repository -> bytes.put(repository.repository(), repository.usedBytes()));
        return bytes;
    }
}
