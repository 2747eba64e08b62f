/**
 * A project's policies on its tags: retention rules that delete what nobody needs any more,
 * and immutable-tag rules that keep a published tag from being overwritten or deleted.
 */
package berth.policy;
