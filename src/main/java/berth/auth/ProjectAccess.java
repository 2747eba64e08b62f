package berth.auth;

import berth.base.ForbiddenException;
import berth.oci.Access;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who may do what in which project. A repository {@code project/app} belongs to project
 * {@code project}; ADMINs may pull, push and delete there, MEMBERs may only pull, and nobody else
 * may do anything. System administrators may do everything everywhere.
 */
@Service
@Transactional(readOnly = true)
public class ProjectAccess {

    /**
     * The subject of the tokens Berth's catalog mints for itself to read every repository (the
     * embedded engine filters {@code _catalog} by the subject's rights). No person or Appkey can
     * hold it: a {@code docker login} username cannot contain ':' (Basic auth splits on it).
     */
    public static final String CATALOG_READER = "berth:catalog";

    /**
     * The actor of Berth's own scheduled work on a project's data (a scheduled retention run), which
     * {@link #require} lets through. No request can act as it: console and REST principals are accounts'
     * emails (they hold an '@'), and registry subjects never reach {@link #require}.
     */
    public static final String SYSTEM = "system";

    private static final Set<String> ALL = Set.of(Access.PULL, Access.PUSH, Access.DELETE);

    private final AccountRepository accounts;
    private final MembershipRepository memberships;
    private final AppkeyRepository appkeys;

    ProjectAccess(AccountRepository accounts, MembershipRepository memberships, AppkeyRepository appkeys) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.appkeys = appkeys;
    }

    /**
     * The registry actions (subset of pull, push, delete) that {@code subject} - an account's email
     * or a project Appkey's username - may perform on {@code repository}.
     */
    public Set<String> allowedActions(String subject, String repository) {
        if (CATALOG_READER.equals(subject)) {
            return Set.of(Access.PULL);
        }
        String project = projectOf(repository);
        if (!subject.contains("@")) {
            return appkeys.findLiveProjectKeys(projectId(project).orElse(-1L)).stream()
                    .filter(k -> k.loginName().equals(subject))
                    .findFirst()
                    .map(k -> k.permission() == Appkey.Permission.PUSH ? ALL : Set.of(Access.PULL))
                    .orElse(Set.of());
        }
        if (isSystemAdmin(subject)) {
            return ALL;
        }
        return role(subject, project).map(Role::registryActions).orElse(Set.of());
    }

    /** What a person asks to do with a project's data; each service names it where it acts. */
    public enum Action {
        /** See repositories, tags and tag details, and pull. Every member may. */
        BROWSE("You are not a member of project %s."),
        /** Delete tags, manifests or whole repositories. ADMINs only. */
        DELETE("Only ADMINs of project %s may delete."),
        /** Change members, project Appkeys and policies. ADMINs only. */
        ADMINISTER("Only an ADMIN of '%s' may do this.");

        private final String refusal;

        Action(String refusal) {
            this.refusal = refusal;
        }
    }

    /**
     * Refuses ({@link ForbiddenException}) unless {@code email} may do {@code action} in {@code project}.
     * Services call this themselves, with the acting person, so no caller can forget it.
     */
    public void require(String email, String project, Action action) {
        if (SYSTEM.equals(email)) {
            return;
        }
        boolean allowed = switch (action) {
            case BROWSE -> mayBrowse(email, project);
            case DELETE, ADMINISTER -> isAdmin(email, project);
        };
        if (!allowed) {
            throw new ForbiddenException(action.refusal.formatted(project), "error.access." + action.name().toLowerCase(java.util.Locale.ROOT), project);
        }
    }

    /** Refuses with {@code refusal} unless {@code email} is an enabled system administrator. */
    public void requireSystemAdmin(String email, String refusal) {
        if (!isSystemAdmin(email)) {
            throw new ForbiddenException(refusal);
        }
    }

    /** Whether {@code email} may see the project's repositories and tags in console and API. */
    public boolean mayBrowse(String email, String project) {
        return isSystemAdmin(email) || role(email, project).isPresent();
    }

    /** Whether {@code email} administers the project: push, delete, members, Appkeys. */
    public boolean isAdmin(String email, String project) {
        return isSystemAdmin(email) || role(email, project).filter(r -> r == Role.ADMIN).isPresent();
    }

    /** The member's role, if {@code email} belongs to the project. */
    public Optional<Role> role(String email, String project) {
        return memberships.find(project, Account.normalizeEmail(email))
                .filter(m -> m.account().enabled())
                .map(Membership::role);
    }

    public boolean isSystemAdmin(String email) {
        return accounts.findByEmail(Account.normalizeEmail(email)).map(a -> a.enabled() && a.systemAdmin()).orElse(false);
    }

    private Optional<Long> projectId(String project) {
        return memberships.findProjectId(project);
    }

    /** The project a repository name belongs to: its first path component. */
    public static String projectOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }
}
