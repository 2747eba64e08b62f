package berth.base;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import org.jspecify.annotations.Nullable;

/**
 * A row whose id the database gives it when it is inserted (an identity column). Until then it has
 * none, and code that asks for it anyway has a bug: {@link #id()} fails naming the entity.
 */
@MappedSuperclass
public abstract class GeneratedIdEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    public long id() {
        if (id == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " not saved yet");
        }
        return id;
    }
}
