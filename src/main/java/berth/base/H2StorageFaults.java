package berth.base;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.api.DatabaseEventListener;
import org.h2.mvstore.MVStoreException;
import org.jspecify.annotations.Nullable;

/**
 * H2's report of every failed statement (named in the JDBC URL as {@code DATABASE_EVENT_LISTENER}),
 * watched for the database's files failing: a full disk, files made read-only or immutable, I/O
 * errors. After one failed write H2's storage engine is broken for the rest of the process: the
 * next statement may spin a core forever in {@code MVStore.registerVersionUsage}, and nothing in
 * the process can repair it. So the first such fault is recorded here and {@link DatabaseFaultStop}
 * stops Berth with one sentence; a restart after the disk is fixed reopens the database as H2
 * left it, with every commit that was answered as done.
 * <p>
 * H2 creates this class itself, by name, so it reaches Spring only through a static hook.
 */
public final class H2StorageFaults implements DatabaseEventListener {

    /** H2's error codes for file trouble (IO_EXCEPTION_1/2, FILE_CORRUPTED_1, NO_DISK_SPACE_AVAILABLE, DATABASE_IS_READ_ONLY). */
    private static final Set<Integer> STORAGE_ERRORS = Set.of(90028, 90031, 90030, 90100, 90097);

    private static final AtomicReference<@Nullable String> FAULT = new AtomicReference<>();
    private static volatile @Nullable Runnable onFault;

    public H2StorageFaults() {
        // H2 instantiates listeners with a public no-argument constructor
    }

    /** What failed, once the database's storage has failed; from then on nothing may use it. */
    public static @Nullable String fault() {
        return FAULT.get();
    }

    static void onFault(@Nullable Runnable action) {
        onFault = action;
    }

    @Override
    public void exceptionThrown(SQLException e, String sql) {
        if (isStorageFault(e) && FAULT.compareAndSet(null, reason(e))) {
            Runnable action = onFault;
            if (action != null) {
                action.run();
            }
        }
    }

    static boolean isStorageFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MVStoreException || t instanceof SQLException sql && STORAGE_ERRORS.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which names the file and the operating system's answer ("Operation not permitted"). */
    private static String reason(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String message = inner.getMessage() == null ? inner.getClass().getSimpleName() : inner.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
