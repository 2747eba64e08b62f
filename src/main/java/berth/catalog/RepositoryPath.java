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
public record RepositoryPath(Kind kind, String repository, @Nullable String tag) {

    public enum Kind { REPOSITORY, TAGS, TAG }

    /**
     * Reads {@code path} by its shape, unless the whole of it is a repository {@code known} says
     * exists: then it is that repository, whatever it ends with.
     */
    public static RepositoryPath parse(String project, String path, Predicate<String> known) {
        RepositoryPath byShape = parse(project, path);
        String whole = project + "/" + path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (byShape.kind() != Kind.REPOSITORY && known.test(whole)) {
            return new RepositoryPath(Kind.REPOSITORY, whole, null);
        }
        return byShape;
    }

    /** Refuses, as a 400 naming the rule, a repository name or tag the registry would refuse (OCI grammar). */
    public static RepositoryPath parse(String project, String path) {
        RepositoryPath parsed = split(project, path);
        try {
            new RepositoryName(parsed.repository());
            if (parsed.kind() == Kind.TAG) {
                new Tag(parsed.tag());
            }
        } catch (RegistryException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return parsed;
    }

    private static RepositoryPath split(String project, String path) {
        String rest = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (rest.isEmpty()) {
            throw new InvalidRequestException("Name a repository after /repositories/.");
        }
        if (rest.endsWith("/tags")) {
            return new RepositoryPath(Kind.TAGS, project + "/" + rest.substring(0, rest.length() - "/tags".length()), null);
        }
        int at = rest.lastIndexOf("/tags/");
        if (at > 0) {
            String tag = rest.substring(at + "/tags/".length());
            if (!tag.isEmpty() && !tag.contains("/")) {
                return new RepositoryPath(Kind.TAG, project + "/" + rest.substring(0, at), tag);
            }
        }
        return new RepositoryPath(Kind.REPOSITORY, project + "/" + rest, null);
    }

    @Override
    public String tag() {
        if (tag == null) {
            throw new IllegalStateException("a " + kind + " path names no tag");
        }
        return tag;
    }
}
