/**
 * Berth: a self-hosted private container registry with a web console.
 * Each direct sub-package is a module; its root package is its API.
 */
package berth;
