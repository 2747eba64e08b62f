-- Spring Modulith's event publication registry (spring-modulith-events-jpa, DefaultJpaEventPublication):
-- the durable outbox. An event published inside a transaction is stored here, one row per listener that
-- must hear it, in that same transaction; the row is completed when the listener has handled it, and
-- rows left incomplete by a crash are handed to their listeners again at start-up. Written by hand
-- (not Modulith's own schema scripts) so H2 and PostgreSQL share one file, like the other migrations.
CREATE TABLE event_publication (
    id                     UUID NOT NULL PRIMARY KEY,
    listener_id            VARCHAR(512) NOT NULL,
    event_type             VARCHAR(512) NOT NULL,
    serialized_event       VARCHAR(1000000) NOT NULL,
    publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date        TIMESTAMP WITH TIME ZONE,
    status                 VARCHAR(20),
    completion_attempts    INTEGER NOT NULL DEFAULT 0,
    last_resubmission_date TIMESTAMP WITH TIME ZONE
);
CREATE INDEX event_publication_incomplete ON event_publication (completion_date, publication_date);
