-- The registry accepts whatever a pusher writes into a config's platform and user fields and a
-- layer's media type, so the catalog must store it too: an image the registry holds but the
-- catalog cannot store would be invisible, and fail every full sync. These fields are only shown,
-- so they are unbounded here and cut to a readable length (with a marker) when imported.
ALTER TABLE catalog_manifest ALTER COLUMN media_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN artifact_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN config_media_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN os SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN architecture SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN variant SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest ALTER COLUMN config_user SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest_layer ALTER COLUMN media_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest_child ALTER COLUMN media_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest_child ALTER COLUMN os SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest_child ALTER COLUMN architecture SET DATA TYPE VARCHAR;
ALTER TABLE catalog_manifest_child ALTER COLUMN variant SET DATA TYPE VARCHAR;
ALTER TABLE catalog_tag ALTER COLUMN media_type SET DATA TYPE VARCHAR;
ALTER TABLE catalog_tag ALTER COLUMN platforms SET DATA TYPE VARCHAR;
