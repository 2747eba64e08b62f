/**
 * What a registry holds, in its own words: blobs linked into repositories, upload sessions,
 * manifests, tags, the list of repositories and the referrers of a manifest. Built on
 * {@link berth.registry.storage.StorageDriver} alone, so every driver gets the same behaviour; the
 * HTTP layer above only translates.
 */
package berth.registry.content;
