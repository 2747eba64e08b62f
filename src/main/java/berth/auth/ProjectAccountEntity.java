package berth.auth;

import berth.base.GeneratedIdEntity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MappedSuperclass;

/** A row that belongs to one account in one project ({@code project_id}, {@code account_id}): a membership, an Appkey. */
@MappedSuperclass
abstract class ProjectAccountEntity extends GeneratedIdEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "project_id")
    private Project project;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    private Account account;

    @SuppressWarnings("NullAway")
    protected ProjectAccountEntity() {
    }

    protected ProjectAccountEntity(Project project, Account account) {
        this.project = project;
        this.account = account;
    }

    Project project() {
        return project;
    }

    Account account() {
        return account;
    }
}
