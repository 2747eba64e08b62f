-- Storage usage, kept current by the embedded engine on push, delete and garbage collection: one
-- row per blob or manifest a repository links (its _layers and _manifests/revisions entries), with
-- the content's size. A project's usage counts each digest once however many of its repositories
-- link it (as Harbor counts); a repository's counts what it links.
CREATE TABLE repository_blob (
    repository VARCHAR(255) NOT NULL,
    digest     VARCHAR(100) NOT NULL,
    project    VARCHAR(255) NOT NULL,
    size       BIGINT       NOT NULL,
    PRIMARY KEY (repository, digest)
);
CREATE INDEX repository_blob_by_project ON repository_blob (project, digest);

-- A project's storage quota set by a system administrator; no row: the default setting
-- (berth.registry.quota.default-bytes); quota_bytes NULL: unlimited.
CREATE TABLE project_quota (
    project     VARCHAR(255) NOT NULL PRIMARY KEY,
    quota_bytes BIGINT
);
