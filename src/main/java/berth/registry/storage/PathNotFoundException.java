package berth.registry.storage;

import java.io.IOException;

/** The path does not exist in storage: the one failure every caller expects and handles. */
public class PathNotFoundException extends IOException {

    public PathNotFoundException(String path) {
        super("no such path in storage: " + path, null);
    }
}
