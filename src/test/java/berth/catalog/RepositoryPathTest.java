package berth.catalog;

import berth.base.InvalidRequestException;
import berth.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryPathTest {

    @Test
    void a_repository_name_may_hold_slashes() {
        RepositoryPath path = RepositoryPath.parse("team", "/tools/builder");
        assertThat(path.kind()).isEqualTo(RepositoryPath.Kind.REPOSITORY);
        assertThat(path.repository()).isEqualTo(new RepositoryName("team/tools/builder"));
    }

    @Test
    void tags_after_the_name_list_its_tags() {
        RepositoryPath path = RepositoryPath.parse("team", "/tools/builder/tags");
        assertThat(path.kind()).isEqualTo(RepositoryPath.Kind.TAGS);
        assertThat(path.repository()).isEqualTo(new RepositoryName("team/tools/builder"));
    }

    @Test
    void the_last_tags_segment_splits_repository_and_tag() {
        RepositoryPath path = RepositoryPath.parse("team", "/tags/tags/v1.0");
        assertThat(path.kind()).isEqualTo(RepositoryPath.Kind.TAG);
        assertThat(path.repository()).isEqualTo(new RepositoryName("team/tags"));
        assertThat(path.tag()).isEqualTo("v1.0");
    }

    @Test
    void a_path_naming_nothing_is_refused() {
        assertThatThrownBy(() -> RepositoryPath.parse("team", "/")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void a_known_repository_whose_name_looks_like_a_tag_path_is_that_repository() {
        java.util.Set<RepositoryName> known = java.util.Set.of(new RepositoryName("team/tools/tags"), new RepositoryName("team/a/b/tags/c"));
        assertThat(RepositoryPath.parse("team", "tools/tags", known::contains))
                .isEqualTo(new RepositoryPath(RepositoryPath.Kind.REPOSITORY, new RepositoryName("team/tools/tags"), null));
        assertThat(RepositoryPath.parse("team", "a/b/tags/c", known::contains))
                .isEqualTo(new RepositoryPath(RepositoryPath.Kind.REPOSITORY, new RepositoryName("team/a/b/tags/c"), null));
        assertThat(RepositoryPath.parse("team", "a/b/tags/c/tags/v1", known::contains))
                .isEqualTo(new RepositoryPath(RepositoryPath.Kind.TAG, new RepositoryName("team/a/b/tags/c"), "v1"));
        assertThat(RepositoryPath.parse("team", "tools/tags/tags", known::contains))
                .isEqualTo(new RepositoryPath(RepositoryPath.Kind.TAGS, new RepositoryName("team/tools/tags"), null));
        assertThat(RepositoryPath.parse("team", "other/tags", known::contains))
                .as("unknown: read by its shape").isEqualTo(new RepositoryPath(RepositoryPath.Kind.TAGS, new RepositoryName("team/other"), null));
    }

    /** Issue 23 finding 5: these reached the registry client and came back as 500 or 502. */
    @Test
    void names_and_tags_the_registry_would_refuse_are_refused_here_naming_the_rule() {
        for (String path : new String[] {"/a b/tags/x", "/a{b/tags/x", "/a\"b/tags/x", "/A/tags/x", "/a..b/tags/x", "/a?b/tags/x",
                "/" + "a".repeat(300) + "/tags/x", "/ab/tags/v x", "/ab/tags/.x"}) {
            assertThatThrownBy(() -> RepositoryPath.parse("team", path)).as(path)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("is invalid");
        }
    }
}
