package berth.auth;

import berth.base.BerthSettings;
import berth.base.ConflictException;
import berth.base.ForbiddenException;
import berth.base.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects and their members: who may create them, who belongs, in which role. */
@Service
@Transactional
public class Projects {

    private final ProjectRepository projects;
    private final MembershipRepository memberships;
    private final AccountRepository accounts;
    private final AppkeyRepository appkeys;
    private final AuthSettings settings;
    private final BerthSettings berth;
    private final Clock clock;
    private final AuthEvents events;
    private final ProjectAccess access;

    Projects(ProjectRepository projects, MembershipRepository memberships, AccountRepository accounts, AppkeyRepository appkeys,
            AuthSettings settings, BerthSettings berth, Clock clock, AuthEvents events, ProjectAccess access) {
        this.events = events;
        this.access = access;
        this.projects = projects;
        this.memberships = memberships;
        this.accounts = accounts;
        this.appkeys = appkeys;
        this.settings = settings;
        this.berth = berth;
        this.clock = clock;
    }

    /** A project as its member sees it; {@code role} is null for a system administrator who is no member. */
    public record ProjectSummary(String name, String registryAddress, @org.jspecify.annotations.Nullable Role role) {
    }

    public record Member(String email, Role role) {
    }

    /** {@code {registry host}/{project}}: what users type after {@code docker login}, tag and push. */
    public String registryAddress(String project) {
        return berth.registryHost() + "/" + project;
    }

    public boolean mayCreateProjects(String caller) {
        Account account = account(caller);
        return account.systemAdmin() || settings.openProjectCreation();
    }

    public ProjectSummary create(String caller, String name) {
        Account creator = account(caller);
        if (!creator.systemAdmin() && !settings.openProjectCreation()) {
            throw new ForbiddenException("Only a system administrator may create projects here (BERTH_OPEN_PROJECT_CREATION is off).",
                    "error.project.create-admins-only");
        }
        ProjectName projectName = new ProjectName(name);
        if (projects.existsByName(projectName.value())) {
            throw new ConflictException("Project '" + projectName + "' exists already.", "error.project.exists", projectName.value());
        }
        Project project = projects.save(new Project(projectName, creator.id(), clock.instant()));
        memberships.save(new Membership(project, creator, Role.ADMIN, clock.instant()));
        events.publish(AuthEvent.Kind.PROJECT_CREATED, creator.email(), project.name(), "created by " + creator.email());
        return new ProjectSummary(project.name(), registryAddress(project.name()), Role.ADMIN);
    }

    /** The caller's projects; a system administrator sees them all. */
    @Transactional(readOnly = true)
    public List<ProjectSummary> visibleTo(String caller) {
        Account account = account(caller);
        List<Membership> mine = memberships.findByAccount(account.id());
        if (account.systemAdmin()) {
            return projects.findAllByOrderByNameAsc().stream()
                    .map(p -> new ProjectSummary(p.name(), registryAddress(p.name()), mine.stream()
                            .filter(m -> m.project().id() == p.id()).map(Membership::role).findFirst().orElse(null)))
                    .toList();
        }
        return mine.stream().map(m -> new ProjectSummary(m.project().name(), registryAddress(m.project().name()), m.role())).toList();
    }

    /** The project, if the caller may see it; otherwise as if it did not exist. */
    @Transactional(readOnly = true)
    public ProjectSummary get(String caller, String project) {
        Account account = account(caller);
        Optional<Membership> membership = memberships.find(project, account.email());
        if (membership.isPresent()) {
            return new ProjectSummary(project, registryAddress(project), membership.get().role());
        }
        if (account.systemAdmin() && projects.existsByName(project)) {
            return new ProjectSummary(project, registryAddress(project), null);
        }
        throw new NotFoundException("There is no project '" + project + "' that you belong to.", "error.project.unknown", project);
    }

    @Transactional(readOnly = true)
    public List<Member> members(String caller, String project) {
        get(caller, project);
        Project p = project(project);
        return memberships.findByProject(p.id()).stream().map(m -> new Member(m.account().email(), m.role())).toList();
    }

    /** Adds a member or changes a member's role. */
    public Member putMember(String caller, String project, String email, Role role) {
        requireAdmin(caller, project);
        Project p = project(project);
        Account account = accounts.findByEmail(Account.normalizeEmail(email))
                .orElseThrow(() -> new NotFoundException("There is no account with email " + email + "."));
        Optional<Membership> existing = memberships.find(project, account.email());
        if (existing.isPresent()) {
            Membership m = existing.get();
            if (m.role() == Role.ADMIN && role != Role.ADMIN && memberships.countAdmins(p.id()) == 1) {
                throw new ConflictException("A project keeps at least one ADMIN; make someone else ADMIN first.", "error.project.last-admin");
            }
            Role before = m.role();
            m.changeRole(role);
            events.publish(AuthEvent.Kind.MEMBER_CHANGED, caller, project, account.email() + ": " + before + " -> " + role);
            return new Member(account.email(), role);
        }
        memberships.save(new Membership(p, account, role, clock.instant()));
        events.publish(AuthEvent.Kind.MEMBER_CHANGED, caller, project, account.email() + ": added as " + role);
        return new Member(account.email(), role);
    }

    /** Ends a membership; the member's Appkeys for the project die with it. */
    public void removeMember(String caller, String project, String email) {
        requireAdmin(caller, project);
        Project p = project(project);
        Membership m = memberships.find(project, Account.normalizeEmail(email))
                .orElseThrow(() -> new NotFoundException(email + " is not a member of '" + project + "'."));
        if (m.role() == Role.ADMIN && memberships.countAdmins(p.id()) == 1) {
            throw new ConflictException("A project keeps at least one ADMIN; make someone else ADMIN first.", "error.project.last-admin");
        }
        appkeys.findLivePersonal(m.account().id(), p.id()).forEach(k -> k.revoke(clock.instant()));
        memberships.delete(m);
        events.publish(AuthEvent.Kind.MEMBER_CHANGED, caller, project, m.account().email() + ": removed");
    }

    /**
     * Refuses anyone but an ADMIN of the project (or a system admin). Someone who cannot see the project
     * is told it does not exist, as {@link #get} does, so names of other teams' projects do not leak.
     */
    void requireAdmin(String caller, String project) {
        get(caller, project);
        access.require(caller, project, ProjectAccess.Action.ADMINISTER);
    }

    Project project(String name) {
        return projects.findByName(name).orElseThrow(() -> new NotFoundException("There is no project '" + name + "'."));
    }

    Account account(String email) {
        return accounts.findByEmail(Account.normalizeEmail(email))
                .filter(Account::enabled)
                .orElseThrow(() -> new ForbiddenException("Your account is unknown or disabled."));
    }
}
