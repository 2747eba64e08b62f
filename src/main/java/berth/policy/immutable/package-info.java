/**
 * Immutable-tag rules as stored and served: the rule rows, their REST API, and the guard that the
 * catalog's deletions and the embedded engine's pushes and deletes ask before they change a tag.
 */
@NullMarked
package berth.policy.immutable;

import org.jspecify.annotations.NullMarked;
