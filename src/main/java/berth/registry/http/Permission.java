package berth.registry.http;

/** What a route asks of the bearer token. */
enum Permission {
    /** Any valid token: {@code GET /v2/}. */
    AUTHENTICATED(null),
    PULL("pull"),
    /** Docker clients ask for pull with push, since a push checks what is there first. */
    PUSH("pull,push"),
    DELETE("delete"),
    /** {@code registry:catalog:*}, as CNCF Distribution asks for {@code _catalog}. */
    CATALOG("*");

    private final String challengeActions;

    Permission(String challengeActions) {
        this.challengeActions = challengeActions;
    }

    /** The actions the {@code scope} of a challenge asks for. */
    String challengeActions() {
        return challengeActions;
    }
}
