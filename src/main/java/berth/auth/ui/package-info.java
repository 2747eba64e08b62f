/**
 * Console views of the auth module: sign-in, projects, members and Appkeys.
 */
package berth.auth.ui;
