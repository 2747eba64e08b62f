/**
 * The console's frame: the app shell, the main layout with its side navigation,
 * language and theme switches, and the shared components every module's views use.
 */
@NamedInterface("ui")
package berth.base.ui;

import org.springframework.modulith.NamedInterface;
