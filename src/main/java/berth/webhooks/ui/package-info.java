/**
 * The webhooks' console page: a project's ADMINs manage its endpoints and read, retry and test
 * their deliveries.
 */
@NullMarked
package berth.webhooks.ui;

import org.jspecify.annotations.NullMarked;
