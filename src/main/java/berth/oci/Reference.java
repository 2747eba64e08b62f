package berth.oci;

/**
 * What follows {@code /manifests/} in a request: a {@link Tag} or a {@link Digest}. A colon can
 * only stand in a digest, so it decides which one.
 */
public sealed interface Reference {

    static Reference parse(String text) {
        return text.indexOf(':') >= 0 ? new ByDigest(Digest.parse(text)) : new ByTag(new Tag(text));
    }

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }
}
