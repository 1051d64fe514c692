"""The PostGIS store's schema: ordered SQL migrations recorded in ``schema_version``, and its login roles.

Migrations are the files ``migrations/NNNN_name.sql``, applied in order, each in the one transaction of
``migrate`` (all or none), by the database's owner. ``add_user`` makes a login role a member of ``cem_reader``
(SELECT only) or ``cem_writer`` (DML on the event tables).
"""

from __future__ import annotations

import re
from importlib import resources

import psycopg
from psycopg import sql

from geo.store.base import StoreError

#: Roles the migrations create; a login role joins one of them.
ROLES = {"reader": "cem_reader", "writer": "cem_writer"}
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_MIGRATE_LOCK = 0x43454D5F4D494752  # "CEM_MIGR": one migration at a time


def migrations() -> list[tuple[int, str, str]]:
    """Every migration as (version, name, SQL), in order."""
    found = []
    for item in resources.files("geo.store").joinpath("migrations").iterdir():
        match = _MIGRATION.match(item.name)
        if match:
            found.append((int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


LATEST = migrations()[-1][0]


def version(con: psycopg.Connection) -> int | None:
    """The schema version of the database (None when it has no event store yet)."""
    exists = con.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return None
    return con.execute("SELECT COALESCE(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(url: str) -> list[str]:
    """Bring the database at ``url`` (connected as its owner) to the latest schema; returns the migrations applied."""
    from geo.store.postgis import connect

    applied = []
    with connect(url) as con:
        con.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATE_LOCK])
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, "
                    "applied_at timestamptz NOT NULL DEFAULT now())")
        done = {row[0] for row in con.execute("SELECT version FROM schema_version")}
        for number, name, text in migrations():
            if number in done:
                continue
            try:
                con.execute(text)
            except psycopg.errors.InsufficientPrivilege as exc:
                hint = (" (PostGIS must be enabled by an administrator: CREATE EXTENSION postgis)"
                        if "postgis" in str(exc).lower() else "")
                raise StoreError(f"migration {name}: this role may not change the schema: "
                                 f"{str(exc).splitlines()[0]}{hint}; run it as the database owner") from None
            except psycopg.Error as exc:
                raise StoreError(f"migration {name} failed, nothing was changed: {str(exc).splitlines()[0]}") from None
            con.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", [number, name])
            applied.append(name)
    return applied


def add_user(url: str, name: str, *, role: str, password: str | None = None) -> None:
    """Create (or update) login role ``name`` as a member of the reader or writer role."""
    from geo.store.postgis import connect

    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    with connect(url) as con:
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        statement = sql.SQL("{} ROLE {} LOGIN").format(sql.SQL(verb), sql.Identifier(name))
        if password is not None:
            statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
        try:
            con.execute(statement)
            con.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ROLES[role]), sql.Identifier(name)))
            other = ROLES["writer" if role == "reader" else "reader"]
            if role == "reader":  # a reader must not keep writer rights from an earlier grant
                con.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(name)))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"cannot create role {name}: {str(exc).splitlines()[0]} (needs CREATEROLE)") from None
