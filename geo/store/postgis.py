"""A team's store on PostgreSQL + PostGIS: filters, counts and aggregates run in the database; imports are
transactions.

An import runs in one transaction under one advisory lock (imports are serialised: duplicate links look across
datasets, so two imports must see each other's rows; readers are never blocked). It loads the file with COPY,
fetches only the stored rows the merge rules need (same record keys, deletions, same country within a day), decides
with ``geo.ingest.merge.plan`` (the embedded store's rules, not a copy of them), saves the rows it replaces or deletes
in ``event_history`` and records itself in ``imports``. A client that dies mid-import leaves nothing: the server
rolls the transaction back. Undo puts an import's saved rows back and removes the rows it wrote.
"""

from __future__ import annotations

import getpass
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from geo.ingest import merge
from geo.query import FilterSpec
from geo.sql import POSTGRES, where_clause
from geo.store import pgframe, pgschema
from geo.store.base import ImportRecord, OnWait, StoreBusy, StoreError

if TYPE_CHECKING:
    from geo.ingest.common import Ingested

_IMPORT_LOCK = 0x43454D5F494D5054  # "CEM_IMPT"
#: Columns of the stored rows that the merge rules look at.
_SLIM = ("row_id", "event_id", "dataset", "source_id", "updated", "date", "country", "precision_km", "weapon_type")


def safe_url(url: str) -> str:
    """The URL without its password, fit to show."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    host, port, db = params.get("host", "localhost"), params.get("port", "5432"), params.get("dbname", "")
    user = f"{params['user']}@" if params.get("user") else ""
    return f"postgresql://{user}{host}:{port}/{db}"


def connect(url: str, *, read_only: bool = False) -> psycopg.Connection:
    """A connection (in a transaction until closed: ``with connect(url) as con`` commits or rolls back)."""
    options = {"connect_timeout": 10, "application_name": "conflict-event-map"}
    if read_only:
        options["options"] = "-c default_transaction_read_only=on"
    try:
        return psycopg.connect(make_conninfo(url, **options))
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot connect to {safe_url(url)}: {first}") from None
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"{safe_url(url)}: not a valid PostgreSQL URL ({exc})") from None


class PostgisStore:
    """A collection in a PostGIS database; ``write`` opens it for imports (needs the writer role)."""

    def __init__(self, url: str, *, write: bool = False, lock_timeout: float = 120.0) -> None:
        self.url, self.write, self.timeout = url, write, lock_timeout
        self.location = safe_url(url)

    @contextmanager
    def _session(self) -> Iterator[psycopg.Connection]:
        with connect(self.url, read_only=not self.write) as con:
            have = pgschema.version(con)
            if have != pgschema.LATEST:
                state = "has no event store yet" if have is None else f"has schema version {have}"
                fix = (f"run `python -m geo db migrate {self.location}` as the database owner" if (have or 0) < pgschema.LATEST
                       else "this program is older than the store: upgrade it")
                raise StoreError(f"{self.location} {state} (this program needs version {pgschema.LATEST}): {fix}")
            try:
                yield con
            except psycopg.errors.InsufficientPrivilege as exc:
                raise StoreError(f"{self.location}: role {con.info.user} may not do this "
                                 f"({str(exc).splitlines()[0]}); importing and undoing need the writer role "
                                 "(CEM_STORE_WRITER)") from None
            except psycopg.errors.ReadOnlySqlTransaction:
                raise StoreError(f"{self.location} is open for reading only; importing and undoing need the "
                                 "writer URL (CEM_STORE_WRITER)") from None
            except psycopg.OperationalError as exc:
                raise StoreError(f"{self.location}: the connection failed ({str(exc).strip()}); "
                                 "nothing was changed") from None

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self, spec: FilterSpec | None = None) -> gpd.GeoDataFrame:
        where, params = where_clause(spec or FilterSpec(), POSTGRES)
        with self._session() as con:
            query = psycopg.ClientCursor(con).mogrify(  # COPY takes no bound parameters: psycopg quotes them
                f"SELECT {pgframe.select_list()} FROM events WHERE {where} ORDER BY row_id", params)
            return pgframe.from_copy_csv(_copy_out(con, query))

    def count(self, spec: FilterSpec | None = None) -> int:
        where, params = where_clause(spec or FilterSpec(), POSTGRES)
        with self._session() as con:
            return con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]

    def revision(self) -> str:
        with self._session() as con:
            row = con.execute("SELECT COALESCE(max(id), 0), count(undone_at) FROM imports").fetchone()
        return f"{row[0]}-{row[1]}"

    def cells(self, spec: FilterSpec, *, cell_deg: float) -> pd.DataFrame:
        from geo.store import pgquery

        with self._session() as con:
            return pgquery.cells(con, spec, cell_deg=cell_deg)

    def trends(self, spec: FilterSpec, *, top: int = 12) -> dict[str, pd.DataFrame]:
        from geo.store import pgquery

        with self._session() as con:
            return pgquery.trends(con, spec, top=top)

    def imports(self) -> list[ImportRecord]:
        with self._session() as con:
            rows = con.execute("SELECT id, at, who, file, datasets, added, updated, deleted, linked, total, undone_at "
                               "FROM imports ORDER BY id DESC").fetchall()
        return [ImportRecord(*row) for row in rows]

    # -- writing ---------------------------------------------------------------------------------------------
    def _lock(self, con: psycopg.Connection, on_wait: OnWait | None) -> None:
        if con.execute("SELECT pg_try_advisory_xact_lock(%s)", [_IMPORT_LOCK]).fetchone()[0]:
            return
        if on_wait:
            on_wait(f"{self.location}: another import is running; waiting up to {self.timeout:g} s")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if con.execute("SELECT pg_try_advisory_xact_lock(%s)", [_IMPORT_LOCK]).fetchone()[0]:
                return
        raise StoreBusy(f"{self.location}: another import has run for over {self.timeout:g} s; nothing was written, "
                        "try again when it has finished")

    def merge(self, ingested: Ingested, *, file: str = "", who: str | None = None,
              on_wait: OnWait | None = None) -> merge.MergeResult:
        incoming = ingested.events.reset_index(drop=True)
        datasets = sorted(set(incoming["dataset"].dropna().astype("str"))) if "dataset" in incoming else []
        with self._session() as con:
            self._lock(con, on_wait)
            import_id = con.execute("INSERT INTO imports (who, file, datasets) VALUES (%s, %s, %s) RETURNING id",
                                    [who or _user(), file, ", ".join(datasets)]).fetchone()[0]
            _load_keys(con, incoming, ingested.deletions)
            current = _candidates(con, single_dataset=datasets[0] if len(datasets) == 1 else None,
                                  all_have_dataset="dataset" in incoming and incoming["dataset"].notna().all())
            p = merge.plan(current, incoming, ingested.deletions)
            removed = current["row_id"].to_numpy()[p.removed].astype("int64")
            _apply(con, import_id, p, removed)
            total = con.execute("SELECT count(*) FROM events").fetchone()[0]
            con.execute("UPDATE imports SET added = %s, updated = %s, unchanged = %s, older = %s, deleted = %s, "
                        "linked = %s, total = %s WHERE id = %s",
                        [p.added, p.updated, p.unchanged, p.older, p.deleted, p.linked, total, import_id])
        written = gpd.GeoDataFrame(p.fresh.reset_index(drop=True), geometry=incoming.geometry.name, crs=incoming.crs)
        return p.result(written, total=total, import_id=import_id)

    def undo(self, import_id: int | None = None, *, on_wait: OnWait | None = None) -> int:
        with self._session() as con:
            self._lock(con, on_wait)
            if import_id is None:
                import_id = con.execute("SELECT max(id) FROM imports WHERE undone_at IS NULL").fetchone()[0]
                if import_id is None:
                    raise StoreError(f"{self.location}: there is no import to undo")
            row = con.execute("SELECT undone_at FROM imports WHERE id = %s", [import_id]).fetchone()
            if row is None or row[0] is not None:
                raise StoreError(f"{self.location}: import {import_id} is not in effect (unknown, or already undone); "
                                 f"see `python -m geo imports {self.location}`")
            _check_later(con, import_id, self.location)
            cols = ", ".join(["row_id", "record_key", "import_id", *(f'"{c}"' for c in pgframe.DATA_COLUMNS), "geom"])
            con.execute("DELETE FROM events WHERE import_id = %s", [import_id])
            con.execute(f"INSERT INTO events ({cols}) OVERRIDING SYSTEM VALUE "
                        f"SELECT {cols} FROM event_history WHERE changed_by = %s", [import_id])
            con.execute("DELETE FROM event_history WHERE changed_by = %s", [import_id])
            con.execute("UPDATE imports SET undone_at = now(), undone_by = current_user WHERE id = %s", [import_id])
            return con.execute("SELECT count(*) FROM events").fetchone()[0]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _copy_out(con: psycopg.Connection, query: str) -> bytes:
    out = io.BytesIO()
    with con.cursor().copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
        for chunk in copy:
            out.write(chunk)
    return out.getvalue()


def _copy_in(con: psycopg.Connection, table: str, columns: list[str], data: bytes) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with con.cursor().copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start:start + (1 << 20)])


def _load_keys(con: psycopg.Connection, incoming: gpd.GeoDataFrame, deletions: pd.DataFrame | None) -> None:
    """What the candidate query needs of the import, in temporary tables: each row's key, day and country
    (``incoming_keys``) and the keys its deletions name (``gone``). The rows themselves are copied only once the
    merge has decided which to write."""
    keys = pa.table({"record_key": pgframe.text_array(merge.record_key(incoming)),
                     "date": pa.array(incoming["date"].to_numpy(dtype="datetime64[ms]").astype("datetime64[D]"),
                                      type=pa.date32(), from_pandas=True),
                     "country": pgframe.text_array(incoming["country"])})
    con.execute("CREATE TEMP TABLE incoming_keys (record_key text, date date, country text) ON COMMIT DROP")
    _copy_in(con, "incoming_keys", keys.column_names, _csv(keys))
    con.execute("CREATE INDEX ON incoming_keys (record_key)")
    con.execute("CREATE TEMP TABLE gone (record_key text PRIMARY KEY) ON COMMIT DROP")
    gone = merge.deletion_keys(deletions).drop_duplicates()
    if len(gone):
        _copy_in(con, "gone", ["record_key"], _csv(pa.table({"k": pgframe.text_array(gone)})))
    con.execute("ANALYZE incoming_keys")


def _csv(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False))
    return out.getvalue()


def _candidates(con: psycopg.Connection, *, single_dataset: str | None, all_have_dataset: bool) -> gpd.GeoDataFrame:
    """The stored rows the merge rules need: same key, named by a deletion, or a possible duplicate (same country,
    within a day; rows of the import's own dataset cannot be its duplicates)."""
    other = "AND e.dataset IS DISTINCT FROM %s" if single_dataset is not None and all_have_dataset else ""
    cols = ", ".join(f'e."{c}"' for c in _SLIM)
    query = psycopg.ClientCursor(con).mogrify(
        f"""SELECT {cols}, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat FROM events e
            WHERE e.record_key IN (SELECT record_key FROM incoming_keys)
               OR (e.source_id IS NOT NULL AND e.record_key IN (SELECT record_key FROM gone))
               OR (EXISTS (SELECT 1 FROM (SELECT DISTINCT country, "date" FROM incoming_keys) d
                           WHERE d.country = e.country AND e."date" BETWEEN d."date" - 1 AND d."date" + 1) {other})""",
        [single_dataset] if other else [])
    import shapely

    data = _copy_out(con, query)
    types = {"row_id": pa.int64(), "date": pa.timestamp("ms"), "precision_km": pa.float64(),
             "lon": pa.float64(), "lat": pa.float64()}
    names = [*_SLIM, "lon", "lat"]
    table = pacsv.read_csv(io.BytesIO(data), convert_options=pacsv.ConvertOptions(
        column_types={n: types.get(n, pa.string()) for n in names}, quoted_strings_can_be_null=False))
    frame = table.to_pandas()
    for name in ("event_id", "dataset", "source_id", "updated", "country", "weapon_type"):
        frame[name] = frame[name].astype("str")
    frame["date"] = frame["date"].astype("datetime64[ms]")
    geometry = gpd.GeoSeries(shapely.points(frame.pop("lon").to_numpy(), frame.pop("lat").to_numpy()), crs=4326)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def _apply(con: psycopg.Connection, import_id: int, p: merge.Plan, removed: np.ndarray) -> None:
    """Save and remove the replaced and deleted rows; write the fresh ones (with their duplicate links)."""
    data_cols = ", ".join(f'"{c}"' for c in pgframe.DATA_COLUMNS)
    if len(removed):
        con.execute(f"INSERT INTO event_history (row_id, record_key, import_id, {data_cols}, geom, changed_by) "
                    f"SELECT row_id, record_key, import_id, {data_cols}, geom, %s FROM events "
                    f"WHERE row_id IN (SELECT unnest(%s::bigint[]))", [import_id, removed.tolist()])
        con.execute("DELETE FROM events WHERE row_id IN (SELECT unnest(%s::bigint[]))", [removed.tolist()])
    if len(p.fresh):
        leading = {"record_key": pgframe.text_array(merge.record_key(p.fresh)),
                   "import_id": pa.array(np.full(len(p.fresh), import_id, dtype="int64"))}
        columns, data = pgframe.to_copy_csv(p.fresh, leading, geom=True)
        _copy_in(con, "events", columns, data)


def _check_later(con: psycopg.Connection, import_id: int, location: str) -> None:
    """Refuse to undo an import whose records a later import (still in effect) changed again."""
    clash = con.execute(
        """WITH touched AS (
               SELECT record_key FROM events WHERE import_id = %(k)s
               UNION SELECT record_key FROM event_history WHERE import_id = %(k)s OR changed_by = %(k)s),
           later AS (
               SELECT import_id AS j, record_key FROM events WHERE import_id > %(k)s
               UNION ALL SELECT changed_by, record_key FROM event_history WHERE changed_by > %(k)s)
           SELECT i.id, i.file, count(*) FROM later JOIN touched USING (record_key) JOIN imports i ON i.id = later.j
           WHERE i.undone_at IS NULL GROUP BY i.id, i.file ORDER BY i.id DESC LIMIT 1""", {"k": import_id}).fetchone()
    if clash:
        raise StoreError(f"{location}: import {clash[0]} ({clash[1] or 'no file name'}) changed {clash[2]:,} of the "
                         f"records import {import_id} wrote; undo import {clash[0]} first")
