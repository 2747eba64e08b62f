/**
 * Console views of the auth module: sign-in, projects, members and Appkeys.
 */
@NullMarked
package berth.auth.ui;

import org.jspecify.annotations.NullMarked;
