package berth.policy.retention;

import berth.policy.retention.RetentionPolicy.Retain;
import berth.policy.retention.RetentionPolicy.Rule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The projects' retention policies, the rows of {@code retention_policy} and {@code retention_rule}. */
@Component
record RetentionPolicies(JdbcTemplate jdbc) {

    Optional<RetentionPolicy> find(String project) {
        List<Map<String, Object>> head = jdbc.queryForList("SELECT untagged, schedule FROM retention_policy WHERE project = ?", project);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        List<Rule> rules = jdbc.query("SELECT repositories, tags_include, tags_exclude, retain, retain_value FROM retention_rule "
                        + "WHERE project = ? ORDER BY position",
                (rs, row) -> new Rule(rs.getString(1), rs.getString(2), rs.getString(3), Retain.valueOf(rs.getString(4)), rs.getInt(5)),
                project);
        return Optional.of(new RetentionPolicy(rules, (String) head.getFirst().get("UNTAGGED"), (String) head.getFirst().get("SCHEDULE")));
    }

    /** Replaces the project's policy; call inside a transaction. */
    void save(String project, RetentionPolicy policy, String by, Instant at) {
        jdbc.update("DELETE FROM retention_rule WHERE project = ?", project);
        int updated = jdbc.update("UPDATE retention_policy SET untagged = ?, schedule = ?, updated_by = ?, updated_at = ? WHERE project = ?",
                policy.untagged(), policy.schedule(), by, at.atOffset(ZoneOffset.UTC), project);
        if (updated == 0) {
            jdbc.update("INSERT INTO retention_policy (project, untagged, schedule, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
                    project, policy.untagged(), policy.schedule(), by, at.atOffset(ZoneOffset.UTC));
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            Rule rule = policy.rules().get(i);
            jdbc.update("INSERT INTO retention_rule (project, position, repositories, tags_include, tags_exclude, retain, retain_value) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", project, i, rule.repositories(), rule.tagsInclude(), rule.tagsExclude(),
                    rule.retain().name(), rule.value());
        }
    }

    /** Projects with a schedule, and it. */
    Map<String, String> schedules() {
        Map<String, String> schedules = new java.util.HashMap<>();
        jdbc.query("SELECT project, schedule FROM retention_policy WHERE schedule IS NOT NULL",
                rs -> {
                    schedules.put(rs.getString(1), rs.getString(2));
                });
        return schedules;
    }
}
