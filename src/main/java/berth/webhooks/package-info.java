/**
 * Webhooks: a project's endpoints, and the durable, signed, retried delivery of registry events to
 * them as CloudEvents, with a guard against requests to private addresses.
 */
package berth.webhooks;
