package berth.catalog;

import berth.base.InvalidRequestException;
import berth.oci.RegistryException;
import berth.oci.RepositoryName;
import berth.oci.Tag;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What the part of an API path after {@code /repositories/} names. Repository names hold slashes;
 * a tag never does, so {@code a/b/tags/v1} is tag {@code v1} of {@code a/b} and {@code a/b/tags}
 * the tag list of {@code a/b} - unless a repository of exactly that name exists
 * ({@link #parse(String, String, Predicate)}).
 *
 * @param repository the full repository name, {@code project/...}
 * @param tag the tag, for {@link Kind#TAG}
 */
public record RepositoryPath(Kind kind, RepositoryName repository, @Nullable String tag) {

    public enum Kind { REPOSITORY, TAGS, TAG }

    /**
     * Reads {@code path} by its shape, unless the whole of it is a repository {@code known} says
     * exists: then it is that repository, whatever it ends with.
     */
    public static RepositoryPath parse(String project, String path, Predicate<RepositoryName> known) {
        RepositoryPath byShape = parse(project, path);
        if (byShape.kind() != Kind.REPOSITORY) {
            try {
                RepositoryName whole = new RepositoryName(project + "/" + trimmed(path));
                if (known.test(whole)) {
                    return new RepositoryPath(Kind.REPOSITORY, whole, null);
                }
            } catch (RegistryException e) {
                // Not a name at all, so no repository's: the path is what its shape says.
            }
        }
        return byShape;
    }

    /** Refuses, as a 400 naming the rule, a repository name or tag the registry would refuse (OCI grammar). */
    public static RepositoryPath parse(String project, String path) {
        String rest = trimmed(path);
        if (rest.isEmpty()) {
            throw new InvalidRequestException("Name a repository after /repositories/.");
        }
        try {
            if (rest.endsWith("/tags")) {
                return new RepositoryPath(Kind.TAGS, new RepositoryName(project + "/" + rest.substring(0, rest.length() - "/tags".length())),
                        null);
            }
            int at = rest.lastIndexOf("/tags/");
            if (at > 0) {
                String tag = rest.substring(at + "/tags/".length());
                if (!tag.isEmpty() && !tag.contains("/")) {
                    RepositoryName repository = new RepositoryName(project + "/" + rest.substring(0, at));
                    return new RepositoryPath(Kind.TAG, repository, new Tag(tag).value());
                }
            }
            return new RepositoryPath(Kind.REPOSITORY, new RepositoryName(project + "/" + rest), null);
        } catch (RegistryException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static String trimmed(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    @Override
    public String tag() {
        if (tag == null) {
            throw new IllegalStateException("a " + kind + " path names no tag");
        }
        return tag;
    }
}
