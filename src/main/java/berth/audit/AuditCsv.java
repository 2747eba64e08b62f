package berth.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * The audit log as CSV (RFC 4180, a header line, UTC instants), for a spreadsheet or a ticket.
 * A cell that a spreadsheet would take for a formula ({@code = + - @}, tab, CR) gets a leading
 * apostrophe: actors of failed logins are whatever a stranger typed.
 */
final class AuditCsv {

    static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    static final String HEADER = "at,actor,address,via,action,project,repository,tag,digest,outcome,detail,occurrences";

    private final Writer out;

    AuditCsv(Writer out) {
        this.out = out;
        line(HEADER);
    }

    void write(AuditEntry e) {
        line(String.join(",", e.at().toString(), cell(e.actor()), cell(e.address()), cell(e.via()), e.action().name(),
                cell(e.project()), cell(e.repository()), cell(e.tag()), cell(e.digest()), cell(e.outcome()), cell(e.detail()),
                Long.toString(e.occurrences())));
    }

    private void line(String text) {
        try {
            out.write(text);
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cell(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            return safe;
        }
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    /** The download's file name: {@code berth-audit-<project or all>.csv}. */
    static String fileName(@Nullable String project) {
        return "berth-audit-" + (project == null ? "all" : project) + ".csv";
    }
}
