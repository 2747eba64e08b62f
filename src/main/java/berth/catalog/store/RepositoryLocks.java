package berth.catalog.store;

import berth.base.StripedLocks;
import berth.oci.RepositoryName;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * One lock per repository (striped): changes to a repository's tags happen one at a time, so the
 * registry's answer read last is the one written last.
 */
@Component
public class RepositoryLocks {

    private final StripedLocks stripes = new StripedLocks(256);

    public <T> T inside(RepositoryName repository, Supplier<T> work) {
        return stripes.inside(repository.value(), work::get);
    }

    public void inside(RepositoryName repository, Runnable work) {
        stripes.inside(repository.value(), work::run);
    }
}
