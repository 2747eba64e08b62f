-- A retention run's list also holds the untagged manifests it removes (policy untagged: remove, embedded engine):
-- those rows name no tag.
ALTER TABLE retention_deletion ALTER COLUMN tag DROP NOT NULL;
