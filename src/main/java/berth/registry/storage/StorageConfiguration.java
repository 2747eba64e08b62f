package berth.registry.storage;

import berth.base.BerthSettings;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the storage driver from {@link StorageSettings}. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    StorageDriver storageDriver(StorageSettings storage, BerthSettings berth) throws IOException {
        return switch (storage.driver()) {
            case "filesystem" -> {
                Path root = storage.filesystem().root();
                yield new FilesystemDriver(root != null ? root : berth.dataDir().resolve("registry"));
            }
            case "s3" -> S3Driver.connect(storage.s3());
            default -> throw new IllegalStateException("berth.storage.driver is '" + storage.driver()
                    + "'; the drivers are: filesystem, s3");
        };
    }
}
