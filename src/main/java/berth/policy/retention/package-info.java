/**
 * Retention: a project's rules of which tags to keep, evaluated as Harbor does (kept if any rule
 * retains it), dry runs, and runs that delete the rest tag by tag under a per-project lease.
 */
package berth.policy.retention;
