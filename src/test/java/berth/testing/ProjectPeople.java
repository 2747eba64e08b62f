package berth.testing;

import berth.auth.Accounts;
import berth.auth.Projects;
import berth.auth.Role;

import static berth.testing.BerthApi.ADMIN_EMAIL;
import static berth.testing.BerthApi.ADMIN_PASSWORD;

/**
 * A project and one person of each kind its services tell apart: the project's ADMIN (its owner), a
 * MEMBER, and an outsider who has an account but no role in it. The fourth kind, the system
 * administrator, is the test profile's {@link BerthApi#ADMIN_EMAIL}, who creates them all.
 */
public record ProjectPeople(String project, String owner, String member, String outsider) {

    /** Every one of them signs in with it. */
    public static final String PASSWORD = "a-long-password-1";

    /** The people of {@code project}, named after it: {@code <project>-owner@example.test} and so on. */
    public static ProjectPeople of(String project) {
        return new ProjectPeople(project, project + "-owner@example.test", project + "-member@example.test",
                project + "-outsider@example.test");
    }

    /** Creates the accounts, the project and the two memberships through the services, in the test's JVM. */
    public void create(Accounts accounts, Projects projects) {
        for (String email : new String[] {owner, member, outsider}) {
            accounts.create(ADMIN_EMAIL, email, PASSWORD, false);
        }
        projects.create(ADMIN_EMAIL, project);
        projects.putMember(ADMIN_EMAIL, project, owner, Role.ADMIN);
        projects.putMember(ADMIN_EMAIL, project, member, Role.MEMBER);
    }

    /** The same over the REST API, as a script would. */
    public void create(BerthApi api) {
        for (String email : new String[] {owner, member, outsider}) {
            api.createAccount(email, PASSWORD);
        }
        api.createProject(ADMIN_EMAIL, ADMIN_PASSWORD, project);
        api.putMember(project, owner, Role.ADMIN.name());
        api.putMember(project, member, Role.MEMBER.name());
    }
}
