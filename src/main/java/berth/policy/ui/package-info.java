/**
 * The console's Policies page of a project: one tab per kind of policy, each a panel of its own,
 * and the link to the page from the project page; the services decide who may read and change what.
 */
package berth.policy.ui;
