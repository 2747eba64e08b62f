package berth.catalog.ui;

import berth.catalog.Catalog.RepositorySort;
import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListOrderTest {

    private static RepositorySort byColumn(String column) {
        return "name".equals(column) ? RepositorySort.NAME : RepositorySort.SIZE;
    }

    @Test
    void an_unsorted_list_is_newest_first() {
        ListOrder<RepositorySort> order = ListOrder.of(new Query<>(0, 50, List.of(), null, null), ListOrderTest::byColumn,
                RepositorySort.LAST_PUSH);

        assertThat(order).isEqualTo(new ListOrder<>(RepositorySort.LAST_PUSH, true));
    }

    @Test
    void the_first_sorted_column_decides_the_sort_and_its_direction() {
        List<QuerySortOrder> sorted = List.of(new QuerySortOrder("name", SortDirection.ASCENDING),
                new QuerySortOrder("size", SortDirection.DESCENDING));

        ListOrder<RepositorySort> order = ListOrder.of(new Query<>(0, 50, sorted, null, null), ListOrderTest::byColumn,
                RepositorySort.LAST_PUSH);

        assertThat(order).isEqualTo(new ListOrder<>(RepositorySort.NAME, false));
    }

    @Test
    void a_descending_column_asks_for_descending() {
        List<QuerySortOrder> sorted = List.of(new QuerySortOrder("size", SortDirection.DESCENDING));

        ListOrder<RepositorySort> order = ListOrder.of(new Query<>(0, 50, sorted, null, null), ListOrderTest::byColumn,
                RepositorySort.LAST_PUSH);

        assertThat(order).isEqualTo(new ListOrder<>(RepositorySort.SIZE, true));
    }
}
