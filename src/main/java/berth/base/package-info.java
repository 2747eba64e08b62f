/**
 * What every module shares: Berth's settings, the data directory, start-up checks and i18n.
 * It depends on no other module.
 */
package berth.base;
