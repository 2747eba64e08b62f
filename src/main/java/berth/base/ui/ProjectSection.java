package berth.base.ui;

/**
 * A page about one project that a module other than the catalog serves (storage, members, policies,
 * activity, webhooks), linked from the project page. Declared as a bean by the module that serves the
 * page, so the project page lists it without depending on that module.
 *
 * @param path the page's address under {@code projects/<project>/}; the link's id is {@code <path>-link}
 * @param labelKey the message key of the link's text
 * @param forAdminsOnly whether only the project's ADMINs (and system admins) see the link; the page itself
 *     still refuses anyone else, this only keeps dead ends out of sight
 * @param order where the link goes among the others, smallest first
 */
public record ProjectSection(String path, String labelKey, boolean forAdminsOnly, int order) {
}
