package berth.base;

import java.util.List;
import org.springframework.data.domain.Page;

/** A page of a list as the REST API answers it. {@code page} counts from 0. */
public record Listing<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    public static <T> Listing<T> of(Page<T> page) {
        return new Listing<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
    }
}
