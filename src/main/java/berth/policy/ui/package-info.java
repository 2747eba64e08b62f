/**
 * The project's Policies page in the console: one tab per kind of policy, each in a component
 * of its own; the services decide who may read and change what.
 */
package berth.policy.ui;
