-- Least privilege: cem_reader may only read events and the list of imports; cem_writer may add and remove events
-- and record imports; only the owner (who runs the migrations) may change the schema. Login roles are made members
-- of one of these (`python -m geo db user`).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cem_reader') THEN
        CREATE ROLE cem_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cem_writer') THEN
        CREATE ROLE cem_writer NOLOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO cem_reader, cem_writer', current_database());
END
$$;
REVOKE ALL ON events, imports, event_history, schema_version FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO cem_reader, cem_writer;
GRANT SELECT ON events, imports, schema_version TO cem_reader;
GRANT SELECT ON schema_version TO cem_writer;
GRANT SELECT, INSERT, DELETE ON events, event_history TO cem_writer;
GRANT SELECT, INSERT, UPDATE ON imports TO cem_writer;
