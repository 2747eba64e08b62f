package berth.audit;

/** What an audit record is about; the names are the REST contract's. */
public enum AuditAction {
    PUSH, DELETE_TAG, DELETE_REPOSITORY, DELETE_MANIFEST, PULL, LOGIN_FAILED, MEMBER_CHANGED, APPKEY_CHANGED,
    POLICY_CHANGED, QUOTA_CHANGED, PROJECT_CREATED
}
