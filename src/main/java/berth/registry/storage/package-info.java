/**
 * Where the registry keeps its bytes: a small driver interface shaped like CNCF Distribution's
 * ({@code GetContent}, {@code PutContent}, {@code Reader}, {@code Writer}, {@code Stat},
 * {@code List}, {@code Move}, {@code Delete}, {@code Walk}), the filesystem driver, and
 * {@link berth.registry.storage.StorageLayout}, the one class that knows the on-disk layout.
 */
package berth.registry.storage;
