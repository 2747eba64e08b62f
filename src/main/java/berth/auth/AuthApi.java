package berth.auth;

import berth.base.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API for accounts, projects, members and Appkeys. HTTP Basic with email and console password. */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "Projects, members and Appkeys")
record AuthApi(Accounts accounts, Projects projects, Appkeys appkeys) {

    record NewAccount(@Nullable String email, @Nullable String password, @Nullable Boolean systemAdmin) {
    }

    record PasswordChange(@Nullable String currentPassword, @Nullable String newPassword) {
    }

    record PasswordReset(@Nullable String password) {
    }

    record NewProject(@Nullable String name) {
    }

    record RoleChange(@Nullable String role) {
    }

    record NewProjectKey(@Nullable String name, @Nullable String permission, @Nullable Instant expiresAt) {
    }

    record AppkeyResponse(String appkey, String registryUrl, String registryAddress, String username) {
        static AppkeyResponse of(Appkeys.PersonalAppkey k) {
            return new AppkeyResponse(k.appkey(), k.registryUrl(), k.registryAddress(), k.username());
        }
    }

    record ProjectKeyResponse(long id, String name, String username, String permission, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, String createdBy, @Nullable String appkey) {
        static ProjectKeyResponse of(Appkeys.ProjectKey k, @Nullable String secret) {
            return new ProjectKeyResponse(k.id(), k.name(), k.username(), k.permission().name().toLowerCase(Locale.ROOT),
                    k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.createdBy(), secret);
        }
    }

    @Operation(summary = "Create an account (system administrators only)")
    @PostMapping("/accounts")
    @ResponseStatus(HttpStatus.CREATED)
    Accounts.AccountSummary createAccount(Principal caller, @RequestBody NewAccount body) {
        return accounts.create(caller.getName(), required(body.email(), "email"), required(body.password(), "password"),
                Boolean.TRUE.equals(body.systemAdmin()));
    }

    @Operation(summary = "List accounts (system administrators only)")
    @GetMapping("/accounts")
    List<Accounts.AccountSummary> listAccounts(Principal caller) {
        return accounts.list(caller.getName());
    }

    @Operation(summary = "Change your own console password; give the current one again (Appkeys are not affected)")
    @PutMapping("/account/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changeOwnPassword(Principal caller, @RequestBody PasswordChange body, HttpServletRequest request) {
        accounts.changeOwnPassword(caller.getName(), request.getRemoteAddr(), required(body.currentPassword(), "currentPassword"),
                required(body.newPassword(), "newPassword"));
    }

    @Operation(summary = "Set an account's console password (system administrators only)")
    @PutMapping("/accounts/{email}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void setPassword(Principal caller, @PathVariable String email, @RequestBody PasswordReset body) {
        accounts.setPassword(caller.getName(), email, required(body.password(), "password"));
    }

    @Operation(summary = "Create a project; the caller becomes its ADMIN")
    @PostMapping("/projects")
    @ResponseStatus(HttpStatus.CREATED)
    Projects.ProjectSummary createProject(Principal caller, @RequestBody NewProject body) {
        return projects.create(caller.getName(), required(body.name(), "name"));
    }

    @Operation(summary = "The caller's projects (all of them for a system administrator)")
    @GetMapping("/projects")
    List<Projects.ProjectSummary> listProjects(Principal caller) {
        return projects.visibleTo(caller.getName());
    }

    @Operation(summary = "One project")
    @GetMapping("/projects/{project}")
    Projects.ProjectSummary project(Principal caller, @PathVariable String project) {
        return projects.get(caller.getName(), project);
    }

    @Operation(summary = "Members of a project")
    @GetMapping("/projects/{project}/members")
    List<Projects.Member> members(Principal caller, @PathVariable String project) {
        return projects.members(caller.getName(), project);
    }

    @Operation(summary = "Add a member or change their role (ADMIN or MEMBER); project ADMINs only")
    @PutMapping("/projects/{project}/members/{email}")
    Projects.Member putMember(Principal caller, @PathVariable String project, @PathVariable String email, @RequestBody RoleChange body) {
        return projects.putMember(caller.getName(), project, email, role(required(body.role(), "role")));
    }

    @Operation(summary = "Remove a member; their Appkeys for the project stop working")
    @DeleteMapping("/projects/{project}/members/{email}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(Principal caller, @PathVariable String project, @PathVariable String email) {
        projects.removeMember(caller.getName(), project, email);
    }

    @Operation(summary = "The caller's own Appkey for the project, with the registry URL and address (\"URL & Appkey\")")
    @GetMapping("/projects/{project}/appkey")
    AppkeyResponse appkey(Principal caller, @PathVariable String project) {
        return AppkeyResponse.of(appkeys.personal(caller.getName(), project));
    }

    @Operation(summary = "Replace the caller's Appkey; the old one stops working at once")
    @PostMapping("/projects/{project}/appkey/regenerate")
    AppkeyResponse regenerate(Principal caller, @PathVariable String project) {
        return AppkeyResponse.of(appkeys.regenerate(caller.getName(), project));
    }

    @Operation(summary = "Create a project Appkey for automation (permission pull or push); the secret is shown only here")
    @PostMapping("/projects/{project}/appkeys")
    @ResponseStatus(HttpStatus.CREATED)
    ProjectKeyResponse createProjectKey(Principal caller, @PathVariable String project, @RequestBody NewProjectKey body) {
        Appkeys.CreatedProjectKey created = appkeys.createProjectKey(caller.getName(), project, required(body.name(), "name"),
                permission(required(body.permission(), "permission")), body.expiresAt());
        return ProjectKeyResponse.of(created.key(), created.appkey());
    }

    @Operation(summary = "The project's Appkeys (without secrets)")
    @GetMapping("/projects/{project}/appkeys")
    List<ProjectKeyResponse> projectKeys(Principal caller, @PathVariable String project) {
        return appkeys.projectKeys(caller.getName(), project).stream().map(k -> ProjectKeyResponse.of(k, null)).toList();
    }

    @Operation(summary = "Revoke a project Appkey")
    @DeleteMapping("/projects/{project}/appkeys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeProjectKey(Principal caller, @PathVariable String project, @PathVariable long id) {
        appkeys.revokeProjectKey(caller.getName(), project, id);
    }

    private static String required(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("'" + field + "' is required.");
        }
        return value;
    }

    private static Role role(String value) {
        try {
            return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("role must be ADMIN or MEMBER.");
        }
    }

    private static Appkeys.ProjectKeyPermission permission(String value) {
        try {
            return Appkeys.ProjectKeyPermission.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("permission must be pull or push.");
        }
    }
}
