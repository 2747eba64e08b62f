package berth.audit;

import berth.base.InvalidRequestException;
import berth.base.Listing;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST API of the audit log: {@code ?actor=&action=&repository=&from=&to=&page=&size=}, times as ISO-8601 instants. */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "Audit log")
record AuditApi(AuditQuery audit) {

    /**
     * The query string both calls take; {@code from} and {@code to} are ISO-8601 instants.
     *
     * @param actor an account's email, a project key's username, {@code system} or a name tried in a failed login
     */
    record Query(@Nullable String actor, @Nullable String action, @Nullable String repository, @Nullable String from,
                 @Nullable String to, @Nullable Integer page, @Nullable Integer size) {

        AuditQuery.Filter filter() {
            return AuditApi.filter(actor, action, repository, from, to);
        }

        int pageNumber() {
            return page == null ? 0 : page;
        }

        int pageSize() {
            return size == null ? 50 : size;
        }
    }

    /** A project's audit log, newest first; for the project's ADMINs and system administrators. */
    @GetMapping("/projects/{project}/audit")
    Listing<AuditEntry> ofProject(Principal principal, @PathVariable String project, Query query) {
        return Listing.of(audit.ofProject(principal.getName(), project, query.filter(), query.pageNumber(), query.pageSize()));
    }

    /** The whole audit log, newest first; for system administrators. */
    @GetMapping("/audit")
    Listing<AuditEntry> all(Principal principal, Query query) {
        return Listing.of(audit.all(principal.getName(), query.filter(), query.pageNumber(), query.pageSize()));
    }

    /** The project's records that match, all of them, as CSV ({@code at,actor,address,...}); the same query string. */
    @GetMapping(path = "/projects/{project}/audit.csv", produces = "text/csv")
    void ofProjectCsv(Principal principal, @PathVariable String project, Query query, HttpServletResponse response) throws IOException {
        send(audit.csv(principal.getName(), project, query.filter()), response);
    }

    /** The whole log's records that match as CSV; for system administrators. */
    @GetMapping(path = "/audit.csv", produces = "text/csv")
    void allCsv(Principal principal, Query query, HttpServletResponse response) throws IOException {
        send(audit.csv(principal.getName(), null, query.filter()), response);
    }

    private static void send(AuditQuery.CsvExport export, HttpServletResponse response) throws IOException {
        response.setContentType(AuditCsv.CONTENT_TYPE);
        response.setHeader("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"");
        export.writeTo(response.getWriter());
    }

    private static AuditQuery.Filter filter(@Nullable String actor, @Nullable String action, @Nullable String repository,
                                            @Nullable String from, @Nullable String to) {
        AuditAction parsedAction = null;
        if (action != null && !action.isBlank()) {
            try {
                parsedAction = AuditAction.valueOf(action.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("action must be one of " + List.of(AuditAction.values()) + ".");
            }
        }
        return new AuditQuery.Filter(blankToNull(actor), parsedAction, blankToNull(repository), instant("from", from), instant("to", to));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant, e.g. 2026-12-07T10:00:00Z.");
        }
    }
}
