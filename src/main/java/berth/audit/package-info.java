/**
 * The audit log: who pushed, deleted, pulled and changed access, from where and with what outcome,
 * written from the registry's and auth's events, kept for {@code berth.audit.retention}, and read over REST.
 */
package berth.audit;
