package berth.audit;

import berth.auth.ProjectAccess;
import berth.base.InvalidRequestException;
import jakarta.persistence.criteria.Predicate;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the audit log: a project's for its ADMINs (and system administrators), all of it for system
 * administrators only. Refuses by itself ({@code ForbiddenException}), whoever calls it.
 */
@Service
@Transactional(readOnly = true)
public class AuditQuery {

    static final int MAX_PAGE_SIZE = 500;

    private final AuditRecordRepository records;
    private final ProjectAccess access;

    AuditQuery(AuditRecordRepository records, ProjectAccess access) {
        this.records = records;
        this.access = access;
    }

    /** What to look for; null fields match anything. {@code repository} is the full name, e.g. {@code project/app}. */
    public record Filter(@Nullable String actor, @Nullable AuditAction action, @Nullable String repository,
                         @Nullable Instant from, @Nullable Instant to) {
    }

    /** Newest first. */
    public Page<AuditEntry> ofProject(String me, String project, Filter filter, int page, int size) {
        access.require(me, project, ProjectAccess.Action.ADMINISTER);
        return find(project, filter, page, size);
    }

    /** Newest first, every project's and the records of no project (failed logins). */
    public Page<AuditEntry> all(String me, Filter filter, int page, int size) {
        access.requireSystemAdmin(me, "Only system administrators may read the whole audit log.");
        return find(null, filter, page, size);
    }

    /** A CSV download that was allowed and whose filter is valid; {@link #writeTo} writes it. */
    public record CsvExport(String fileName, Consumer<Writer> body) {

        public void writeTo(Writer out) {
            body.accept(out);
        }
    }

    /**
     * Every record that matches as CSV, newest first: a project's (for its ADMINs) or, with no project,
     * the whole log (for system administrators). Refuses, or rejects the filter, before anything is
     * written, so the caller can still answer with an error instead of half a file.
     */
    public CsvExport csv(String me, @Nullable String project, Filter filter) {
        if (project == null) {
            access.requireSystemAdmin(me, "Only system administrators may read the whole audit log.");
        } else {
            access.require(me, project, ProjectAccess.Action.ADMINISTER);
        }
        Page<AuditEntry> first = find(project, filter, 0, MAX_PAGE_SIZE);
        return new CsvExport(AuditCsv.fileName(project), out -> {
            AuditCsv csv = new AuditCsv(out);
            for (Page<AuditEntry> page = first; ; page = find(project, filter, page.getNumber() + 1, MAX_PAGE_SIZE)) {
                page.forEach(csv::write);
                if (!page.hasNext()) {
                    return;
                }
            }
        });
    }

    private Page<AuditEntry> find(@Nullable String project, Filter filter, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("page counts from 0; size is 1 to " + MAX_PAGE_SIZE + ".");
        }
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            throw new InvalidRequestException("from must not lie after to.");
        }
        Specification<AuditRecord> matching = (root, query, cb) -> {
            List<Predicate> all = new ArrayList<>();
            if (project != null) {
                all.add(cb.equal(root.get("project"), project));
            }
            if (filter.actor() != null) {
                all.add(cb.equal(root.get("actor"), filter.actor()));
            }
            if (filter.action() != null) {
                all.add(cb.equal(root.get("action"), filter.action()));
            }
            if (filter.repository() != null) {
                all.add(cb.equal(root.get("repository"), filter.repository()));
            }
            if (filter.from() != null) {
                all.add(cb.greaterThanOrEqualTo(root.get("at"), filter.from()));
            }
            if (filter.to() != null) {
                all.add(cb.lessThan(root.get("at"), filter.to()));
            }
            return cb.and(all.toArray(Predicate[]::new));
        };
        return records.findAll(matching, PageRequest.of(page, size, Sort.by(Sort.Order.desc("at"), Sort.Order.desc("id"))))
                .map(AuditRecord::entry);
    }
}
