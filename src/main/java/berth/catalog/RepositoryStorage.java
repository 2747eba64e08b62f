package berth.catalog;

import java.util.Map;

/**
 * How many bytes each repository of a project holds in storage, for the repository list's usage
 * column. The module that counts storage declares a bean of this type; the catalog shows the column
 * only when one exists, so it does not depend on that module.
 */
public interface RepositoryStorage {

    /**
     * Bytes per repository name of {@code project}, as {@code me} may see them (a caller who may not
     * see the project gets an exception, as from {@link Catalog}); a repository holding nothing may be
     * absent.
     */
    Map<String, Long> bytesByRepository(String me, String project);
}
