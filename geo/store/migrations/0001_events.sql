-- The event store: events (one row per record), imports (one row per import) and event_history (what each import
-- replaced or deleted, so that any import can be undone exactly).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    who         text NOT NULL,                        -- the person, as the client names them
    db_role     text NOT NULL DEFAULT current_user,   -- the database role that wrote it
    file        text NOT NULL DEFAULT '',
    datasets    text NOT NULL DEFAULT '',
    added       integer NOT NULL DEFAULT 0,
    updated     integer NOT NULL DEFAULT 0,
    unchanged   integer NOT NULL DEFAULT 0,
    older       integer NOT NULL DEFAULT 0,
    deleted     integer NOT NULL DEFAULT 0,
    linked      integer NOT NULL DEFAULT 0,
    total       bigint NOT NULL DEFAULT 0,
    undone_at   timestamptz,
    undone_by   text
);

CREATE TABLE events (
    row_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_key      text NOT NULL,          -- dataset U+001F source_id (or "id:" event_id): see geo.ingest.merge
    import_id       bigint NOT NULL REFERENCES imports (id),
    event_id        text NOT NULL,
    "date"          date NOT NULL,
    date_end        date,
    date_precision  text,
    weapon_type     text NOT NULL,
    outcome         text,
    actor           text,
    attribution     text,
    target          text,
    country         text,
    admin1          text,
    location        text,
    geo_precision   smallint,
    precision_km    double precision,
    fatalities      integer,
    description     text,
    sources         text,
    coord_source    text,
    event_type      text,
    sub_event_type  text,
    source_id       text,
    updated         text,
    dataset         text,
    duplicate_of    text,
    extra           jsonb,
    geom            geometry(Point, 4326) NOT NULL
);
CREATE UNIQUE INDEX events_record_key ON events (record_key);
CREATE INDEX events_geom ON events USING gist (geom);
CREATE INDEX events_date ON events ("date");
CREATE INDEX events_date_end ON events ((COALESCE(date_end, "date")));
CREATE INDEX events_weapon ON events (weapon_type);
CREATE INDEX events_actor ON events (lower(actor));
CREATE INDEX events_country ON events (lower(country));
CREATE INDEX events_import ON events (import_id);
CREATE INDEX events_link ON events (country, "date");

-- A row an import replaced or deleted, as it was; changed_by is that import. Undoing it puts the row back.
CREATE TABLE event_history (LIKE events);
ALTER TABLE event_history ADD COLUMN changed_by bigint NOT NULL REFERENCES imports (id);
CREATE INDEX event_history_changed_by ON event_history (changed_by);
CREATE INDEX event_history_import ON event_history (import_id);
CREATE INDEX event_history_key ON event_history (record_key);
