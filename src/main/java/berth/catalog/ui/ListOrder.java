package berth.catalog.ui;

import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import java.util.function.Function;

/**
 * The order a lazily loaded list asks the catalog for: the column the person sorted by, read as
 * the catalog's sort, and its direction; newest first until they choose.
 *
 * @param <S> the catalog's sort for the list ({@code RepositorySort}, {@code TagSort})
 */
record ListOrder<S>(S sort, boolean descending) {

    static <S> ListOrder<S> of(Query<?, ?> query, Function<String, S> byColumn, S newest) {
        if (query.getSortOrders().isEmpty()) {
            return new ListOrder<>(newest, true);
        }
        QuerySortOrder order = query.getSortOrders().get(0);
        return new ListOrder<>(byColumn.apply(order.getSorted()), order.getDirection() == SortDirection.DESCENDING);
    }
}
