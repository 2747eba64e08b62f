/**
 * Who may do what: accounts, projects, memberships and Appkeys, console sign-in,
 * and the Docker token service that turns an email and Appkey into a registry token.
 */
package berth.auth;
