-- Digest columns were VARCHAR(100): room for sha256:<64 hex> (71 characters) but not for
-- sha512:<128 hex> (135), which the OCI spec allows and the registry accepts. A sha512 blob or
-- manifest failed its write-barrier, usage or catalog row. Widened to 150 everywhere a digest is
-- kept. SET DATA TYPE is the spelling H2 and PostgreSQL share; widening a VARCHAR rewrites nothing.
ALTER TABLE catalog_manifest ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest ALTER COLUMN config_digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest ALTER COLUMN subject_digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest_layer ALTER COLUMN manifest_digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest_layer ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest_child ALTER COLUMN manifest_digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_manifest_child ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_tag ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_referrer ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE catalog_referrer ALTER COLUMN subject_digest SET DATA TYPE VARCHAR(150);
ALTER TABLE blob_touch ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE repository_blob ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE audit_record ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
ALTER TABLE retention_deletion ALTER COLUMN digest SET DATA TYPE VARCHAR(150);
