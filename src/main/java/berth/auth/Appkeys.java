package berth.auth;

import berth.base.BerthSettings;
import berth.base.ConflictException;
import berth.base.InvalidRequestException;
import berth.base.NotFoundException;
import berth.oci.Access;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Personal and project Appkeys: handing them out, regenerating, revoking, and checking a login. */
@Service
@Transactional
public class Appkeys {

    private static final Pattern KEY_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private final AppkeyRepository appkeys;
    private final MembershipRepository memberships;
    private final Projects projects;
    private final SecretCipher cipher;
    private final BerthSettings berth;
    private final Clock clock;
    private final AuthEvents events;

    Appkeys(AppkeyRepository appkeys, MembershipRepository memberships, Projects projects, SecretCipher cipher,
            BerthSettings berth, Clock clock, AuthEvents events) {
        this.events = events;
        this.appkeys = appkeys;
        this.memberships = memberships;
        this.projects = projects;
        this.cipher = cipher;
        this.berth = berth;
        this.clock = clock;
    }

    /** What "URL & Appkey" shows: the caller's own Appkey for the project and where to use it. */
    public record PersonalAppkey(String appkey, String registryUrl, String registryAddress, String username) {
    }

    public enum ProjectKeyPermission {
        /** pull only */
        PULL,
        /** pull, push and delete */
        PUSH
    }

    /** A project Appkey as listed; the secret is shown once, when it is created. */
    public record ProjectKey(long id, String name, String username, ProjectKeyPermission permission, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, String createdBy) {
    }

    public record CreatedProjectKey(ProjectKey key, String appkey) {
    }

    /**
     * A successful registry login: who, through which key, in which project, allowed to do what there.
     * A personal key ({@code personal}) speaks for its owner everywhere the owner is a member.
     */
    record Login(long appkeyId, String subject, String project, Set<String> actions, boolean personal) {
    }

    public PersonalAppkey personal(String caller, String project) {
        projects.get(caller, project);
        Account account = projects.account(caller);
        Project p = projects.project(project);
        Appkey key = appkeys.findLivePersonal(account.id(), p.id()).stream().findFirst()
                .orElseGet(() -> appkeys.save(Appkey.personal(p, account, cipher.seal(cipher.newSecret()), clock.instant())));
        return describe(key, cipher.open(key.secretEncrypted()));
    }

    /** A new personal Appkey; the old one stops working at once, and so do logins made with it. */
    public PersonalAppkey regenerate(String caller, String project) {
        projects.get(caller, project);
        Account account = projects.account(caller);
        Project p = projects.project(project);
        appkeys.findLivePersonal(account.id(), p.id()).forEach(k -> k.revoke(clock.instant()));
        appkeys.flush();
        String secret = cipher.newSecret();
        Appkey key = appkeys.save(Appkey.personal(p, account, cipher.seal(secret), clock.instant()));
        events.publish(AuthEvent.Kind.APPKEY_CHANGED, account.email(), project, "personal Appkey of " + account.email() + " regenerated");
        return describe(key, secret);
    }

    private PersonalAppkey describe(Appkey key, String secret) {
        String url = berth.registryPublicUrl().toString();
        return new PersonalAppkey(secret, url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                projects.registryAddress(key.project().name()), key.loginName());
    }

    public CreatedProjectKey createProjectKey(String caller, String project, String name, ProjectKeyPermission permission,
            @Nullable Instant expiresAt) {
        projects.requireAdmin(caller, project);
        if (!KEY_NAME.matcher(name).matches() || name.length() > 64) {
            throw new InvalidRequestException("An Appkey name is 1 to 64 lowercase letters, digits and '.', '_' or '-' between them.",
                    "error.appkey.name-invalid");
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new InvalidRequestException("An Appkey's expiry must lie in the future.", "error.appkey.expiry-past");
        }
        // Whole seconds: databases round sub-second parts differently, and nobody means them.
        Instant expiry = expiresAt == null ? null : expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Project p = projects.project(project);
        if (appkeys.findLiveProjectKey(p.id(), name).isPresent()) {
            throw new ConflictException("Project '" + project + "' has an Appkey named '" + name + "' already.", "error.appkey.exists", project, name);
        }
        String secret = cipher.newSecret();
        Appkey key = appkeys.save(Appkey.forProject(p, projects.account(caller), name,
                permission == ProjectKeyPermission.PUSH ? Appkey.Permission.PUSH : Appkey.Permission.PULL,
                cipher.seal(secret), clock.instant(), expiry));
        events.publish(AuthEvent.Kind.APPKEY_CHANGED, caller, project, "project Appkey " + key.loginName() + " created ("
                + permission + ")");
        return new CreatedProjectKey(summary(key), secret);
    }

    @Transactional(readOnly = true)
    public List<ProjectKey> projectKeys(String caller, String project) {
        projects.requireAdmin(caller, project);
        return appkeys.findLiveProjectKeys(projects.project(project).id()).stream().map(Appkeys::summary).toList();
    }

    public void revokeProjectKey(String caller, String project, long id) {
        projects.requireAdmin(caller, project);
        Appkey key = appkeys.findById(id)
                .filter(k -> k.kind() == Appkey.Kind.PROJECT && k.project().name().equals(project))
                .orElseThrow(() -> new NotFoundException("Project '" + project + "' has no Appkey " + id + "."));
        key.revoke(clock.instant());
        events.publish(AuthEvent.Kind.APPKEY_CHANGED, caller, project, "project Appkey " + key.loginName() + " revoked");
    }

    private static ProjectKey summary(Appkey key) {
        return new ProjectKey(key.id(), String.valueOf(key.name()), key.loginName(),
                key.permission() == Appkey.Permission.PUSH ? ProjectKeyPermission.PUSH : ProjectKeyPermission.PULL,
                key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.account().email());
    }

    /**
     * Checks a {@code docker login}: the username must be the key's own (the owner's email, or a project
     * key's username) and the secret must match in constant time.
     */
    Optional<Login> authenticate(String username, String secret) {
        Instant now = clock.instant();
        return appkeys.findByFingerprint(cipher.fingerprint(secret))
                .filter(k -> k.loginName().equalsIgnoreCase(username.trim()))
                .filter(k -> cipher.matches(secret, k.secretEncrypted()))
                .filter(k -> k.usableAt(now))
                .flatMap(k -> {
                    k.usedAt(now);
                    return loginOf(k);
                });
    }

    /** The login a key still gives, now: nothing if it was revoked, expired, or its owner left the project. */
    @Transactional(readOnly = true)
    Optional<Login> stillValid(long appkeyId) {
        Instant now = clock.instant();
        return appkeys.findById(appkeyId).filter(k -> k.usableAt(now)).flatMap(this::loginOf);
    }

    private Optional<Login> loginOf(Appkey key) {
        String project = key.project().name();
        if (key.kind() == Appkey.Kind.PROJECT) {
            Set<String> actions = key.permission() == Appkey.Permission.PUSH
                    ? Set.of(Access.PULL, Access.PUSH, Access.DELETE) : Set.of(Access.PULL);
            return Optional.of(new Login(key.id(), key.loginName(), project, actions, false));
        }
        Account owner = key.account();
        Optional<Membership> membership = memberships.find(project, owner.email());
        if (membership.isPresent()) {
            return Optional.of(new Login(key.id(), owner.email(), project, membership.get().role().registryActions(), true));
        }
        if (owner.systemAdmin()) {
            return Optional.of(new Login(key.id(), owner.email(), project, Role.ADMIN.registryActions(), true));
        }
        return Optional.empty();
    }
}
