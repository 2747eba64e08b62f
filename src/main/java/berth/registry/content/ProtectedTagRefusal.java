package berth.registry.content;

import berth.oci.ErrorCode;
import berth.oci.RegistryException;
import berth.oci.Tag;
import java.util.Map;

/**
 * {@link ErrorCode#DENIED} because a {@link berth.registry.ProtectedTags} keeps {@link #tag()} as it
 * is. A type of its own so that the HTTP edge, which knows who asked, can put the refusal in the audit
 * log before it answers.
 */
public final class ProtectedTagRefusal extends RegistryException {

    private final Tag tag;

    ProtectedTagRefusal(Tag tag, String refusal, String change) {
        super(ErrorCode.DENIED, refusal, Map.of("tag", tag.value(), "refused", change));
        this.tag = tag;
    }

    /** The tag the refused request would have moved or removed. */
    public Tag tag() {
        return tag;
    }
}
