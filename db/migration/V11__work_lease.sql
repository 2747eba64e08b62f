-- Leases on work that one Berth instance at a time should do when several share this database
-- (the full catalog sync, by name 'catalog-full-sync'). A holder renews its lease while it works
-- and deletes it when done; a lease whose expires_at has passed is free, so an instance that
-- crashed mid-work blocks the others only until then. Plain rows and UPDATE ... WHERE instead of
-- PostgreSQL advisory locks, so H2 and PostgreSQL share one code path.
CREATE TABLE work_lease (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    holder      VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
