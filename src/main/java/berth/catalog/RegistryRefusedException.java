package berth.catalog;

/** The registry answered a request with an error the catalog cannot work around. */
public class RegistryRefusedException extends berth.base.RegistryFailedException {

    private final int status;

    public RegistryRefusedException(String request, int status, String body) {
        super(request + " answered " + status + ": " + body.substring(0, Math.min(body.length(), 300)));
        this.status = status;
    }

    int status() {
        return status;
    }
}
