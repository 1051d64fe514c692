"""DuckDB over a GeoParquet of events: answers that need a few columns of many events, without loading them all.

Every function takes the path of a GeoParquet (the trusted cache, or a store's own collection file) and a
``FilterSpec``, compiled by ``geo.sql.where_clause`` so that SQL keeps exactly the events ``geo.query.mask``
keeps. Coordinates come from plain ``lon``/``lat`` columns, or from a GeoParquet 1.1 ``bbox`` covering column
(points: xmin/ymin); WKB is never decoded in SQL, so the spatial extension is not needed.

    engine.count(path, spec)                      # events kept
    engine.summarize(path, spec, top=20)          # as geo.stats.summarize
    engine.counts_by_period(path, spec, "week")   # [(period start, events, fatalities), ...]
    engine.trends(path, spec, top=12)             # as geo.stats.trends (the Trends page's tables)
    engine.select(path, spec, columns)            # pyarrow RecordBatchReader, streamed in file order
    engine.frames(path, spec)                     # the same as GeoDataFrame slices (trusted dtypes)
    engine.polars_frames(path, spec)              # the same as polars frames (no pandas: fast exports)
    engine.geojson_lines(path, spec)              # GeoJSON Feature lines written by DuckDB (the fastest export)
    engine.events(path, spec)                     # all kept events as one GeoDataFrame
    engine.cells(path, spec, cell_deg=0.1)        # viewport cells: lon, lat, count, weapon_type, fatalities, event_id

No extension is ever installed or loaded and nothing is fetched (the machines are offline): auto-install and
auto-load are off, external access is limited to the file queried, and the configuration is locked. Values
reach SQL as typed literals (``geo.sql.inline``) rather than bound parameters: DuckDB's binding imports numpy
and pandas on the first parameter, which would cost a repeated ``stats`` most of its time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import duckdb

from geo.errors import GeoError, ReadError
from geo.query import FilterSpec
from geo.schema import WEAPON_TYPES
from geo.sql import DUCKDB, inline, literal, where_clause

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import polars as pl
    import pyarrow as pa

#: DuckDB's errors (for callers that catch them without importing duckdb).
Error = duckdb.Error
#: Rows per Arrow batch streamed by ``select``.
BATCH_ROWS = 128 * 1024
#: DuckDB's memory cap: it spills to the cache folder beyond it, so ten million events fit in a few GB.
MEMORY_LIMIT = os.environ.get("CEM_DUCKDB_MEMORY", "3GB")
#: Settings that keep DuckDB offline and bounded; locked once set.
SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "memory_limit": MEMORY_LIMIT,
}
#: Periods of ``counts_by_period``: DuckDB's date_trunc parts (weeks start on Monday, as pandas' W-SUN).
PERIODS = ("day", "week", "month", "year")


def connect(files: Sequence[str | os.PathLike[str]] = ()) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB that may read ``files`` and nothing else, with its configuration locked.

    Least privilege: external access is off but for these files and the spill folder, so no extension can be
    installed or loaded (not even by an explicit ``INSTALL``), no other file read, nothing fetched.
    """
    from geo.paths import cache_dir

    spill = cache_dir() / "duckdb-tmp"
    con = duckdb.connect(config=dict(SETTINGS))
    con.execute(f"SET temp_directory = {literal(str(spill))}")
    paths = ", ".join(literal(os.path.abspath(f)) for f in files)
    con.execute(f"SET allowed_paths = [{paths}]")
    con.execute(f"SET allowed_directories = [{literal(str(spill) + os.sep)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET enable_progress_bar = false")  # a library prints nothing: the CLI shows its own progress
    con.execute("SET lock_configuration = true")
    return con


def _source(con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], *, row_numbers: bool = False) -> str:
    """A FROM item over the file with ``lon``/``lat`` columns (and ``file_row_number`` with ``row_numbers``)."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise ReadError(f"{path}: no such file")
    scan = f"read_parquet({literal(path)}{', file_row_number = true' if row_numbers else ''})"
    try:
        names = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()}
    except duckdb.Error as exc:
        raise ReadError(f"{path}: cannot be read as GeoParquet ({str(exc).splitlines()[0]})") from None
    if {"lon", "lat"} <= names:
        return scan
    if "bbox" in names:
        return f"(SELECT *, bbox.xmin AS lon, bbox.ymin AS lat FROM {scan})"
    raise GeoError(f"{path}: no lon/lat columns and no GeoParquet bbox covering; write it with "
                   "geo.store.cache (lon/lat) or geopandas to_parquet(write_covering_bbox=True)")


def _query(path: str | os.PathLike[str], spec: FilterSpec, sql: str) -> list[tuple]:
    """Run ``sql`` (with ``{src}`` and ``{where}`` slots) over the filtered file; all rows."""
    con = connect([path])
    src = _source(con, path)
    where = inline(*where_clause(spec, DUCKDB))
    try:
        return con.execute(sql.format(src=src, where=where)).fetchall()
    except duckdb.Error as exc:
        raise GeoError(f"{path}: query failed ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()


def count(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec()) -> int:
    """How many events ``spec`` keeps."""
    return int(_query(path, spec, "SELECT count(*) FROM {src} WHERE {where}")[0][0])


def summarize(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), *,
              top: int | None = None) -> dict[str, dict[str, int]]:
    """``geo.stats.summarize`` of the events ``spec`` keeps, in one scan (GROUPING SETS)."""
    from geo.stats import shape_summary

    rows = _query(path, spec, """
        SELECT grouping(weapon_type), grouping(actor), grouping(country), grouping(month),
               weapon_type, actor, country, month, count(*), sum(fatalities)
        FROM (SELECT weapon_type, actor, country, strftime("date", '%Y-%m') AS month, fatalities
              FROM {src} WHERE {where})
        GROUP BY GROUPING SETS ((weapon_type), (actor), (country), (month), ())""")
    parts: dict[str, dict[str, int]] = {"weapon": {}, "actor": {}, "country": {}, "month": {}}
    total, fatalities = 0, 0
    for gw, ga, gc, gm, weapon, actor, country, month, n, fat in rows:
        if gw and ga and gc and gm:
            total, fatalities = int(n), int(fat or 0)
            continue
        key, part = next((k, p) for flag, k, p in ((gw, weapon, "weapon"), (ga, actor, "actor"),
                                                   (gc, country, "country"), (gm, month, "month")) if not flag)
        if key is not None:
            parts[part][str(key)] = int(n)
    return shape_summary(total, fatalities, parts["weapon"], parts["actor"], parts["country"], parts["month"],
                         top=top)


def counts_by_period(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(),
                     period: str = "month") -> list[tuple[str, int, int]]:
    """(period start as YYYY-MM-DD, events, fatalities) of each period with events, oldest first."""
    if period not in PERIODS:
        raise GeoError(f"unknown period '{period}'; use one of {', '.join(PERIODS)}")
    rows = _query(path, spec, f"""
        SELECT strftime(date_trunc('{period}', "date"), '%Y-%m-%d') AS p, count(*), coalesce(sum(fatalities), 0)
        FROM {{src}} WHERE {{where}} GROUP BY p ORDER BY p""")
    return [(p, int(n), int(f)) for p, n, f in rows]


def trends(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), *,
           top: int = 12) -> dict[str, "pd.DataFrame"]:
    """``geo.stats.trends`` of the kept events, counted in DuckDB: the same tables (weekly by weapon, monthly
    fatalities, top actors and targets, country by attribution); rows with equal counts come in name order."""
    import pandas as pd

    from geo.schema import WEAPON_NAMES, country_name

    def frame(sql: str, columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(_query(path, spec, sql), columns=columns)

    weekly = frame("""SELECT date_trunc('week', "date")::TIMESTAMP AS w, weapon_type, count(*) AS n FROM {src}
                      WHERE {where} GROUP BY ALL ORDER BY n DESC, w, weapon_type""", ["week", "weapon_type", "events"])
    weekly["week"] = weekly["week"].astype("datetime64[us]")
    weekly["weapon"] = weekly["weapon_type"].map(WEAPON_NAMES)
    monthly = frame("""SELECT date_trunc('month', "date")::TIMESTAMP AS m, coalesce(sum(fatalities), 0), count(*)
                       FROM {src} WHERE {where} GROUP BY m ORDER BY m""", ["month", "fatalities", "events"])
    monthly["month"] = monthly["month"].astype("datetime64[us]")
    limit = int(top)
    actors = frame(f"""SELECT actor, count(*) AS n FROM {{src}} WHERE {{where}} GROUP BY actor
                       ORDER BY n DESC, actor LIMIT {limit}""", ["actor", "events"])
    targets = frame(f"""SELECT target, count(*) AS n FROM {{src}} WHERE ({{where}}) AND target IS NOT NULL
                        GROUP BY target ORDER BY n DESC, target LIMIT {limit}""", ["target", "events"])
    by_country = frame("""SELECT country, attribution, count(*) AS n FROM {src} WHERE {where} GROUP BY ALL
                          ORDER BY n DESC, country, attribution""", ["country", "attribution", "events"])
    by_country["country"] = by_country["country"].map({c: country_name(c) for c in by_country["country"].unique()})
    for table in (weekly, monthly, actors, targets, by_country):
        for col in ("events", "fatalities"):
            if col in table:
                table[col] = table[col].astype("int64")
    return {"weekly": weekly, "monthly": monthly, "actors": actors, "targets": targets,
            "country_attribution": by_country}


def select(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), columns: Sequence[str] | None = None,
           *, batch_rows: int = BATCH_ROWS, sql_columns: Sequence[str] | None = None) -> "pa.RecordBatchReader":
    """The kept events' ``columns`` (default: all but lon/lat, with WKB ``geometry``), streamed in file order.

    ``sql_columns`` replaces ``columns`` by SQL expressions (``strftime("date", '%Y-%m-%d') AS "date"``) for
    writers that want another type. The reader owns its connection: read it to the end or close it.
    """
    import pyarrow as pa

    con = connect([path])
    try:
        src = _source(con, path)
        if sql_columns is None:
            names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
            wanted = [n for n in names if n not in ("lon", "lat", "bbox")] if columns is None else list(columns)
            sql_columns = [_quoted(n) for n in wanted]
        where = inline(*where_clause(spec, DUCKDB))
        result = con.execute(f"SELECT {', '.join(sql_columns)} FROM {src} WHERE {where}")
        reader = result.to_arrow_reader(batch_rows)
    except duckdb.Error as exc:
        con.close()
        raise GeoError(f"{path}: query failed ({str(exc).splitlines()[0]})") from None

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        finally:
            con.close()

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def geojson_lines(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), *,
                  batch_rows: int = BATCH_ROWS) -> "pa.RecordBatchReader | None":
    """The kept events' GeoJSON Feature lines, written by DuckDB (``geo.geojson_sql``), streamed in file order;
    None when a column or a number would not come out as ``geo.geojson_lines`` writes it (use polars then)."""
    from geo.geojson_sql import plan

    con = connect([path])
    try:
        src = _source(con, path)
        types = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
        sql = plan(types)
        if sql is None:
            return None
        where = inline(*where_clause(spec, DUCKDB))
        if con.execute(f"SELECT EXISTS (SELECT 1 FROM {src} WHERE ({where}) AND ({sql.unsafe}))").fetchall()[0][0]:
            return None
    except duckdb.Error as exc:
        raise GeoError(f"{path}: query failed ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    return select(path, spec, sql_columns=sql.columns, batch_rows=batch_rows)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def frames(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), *,
           batch_rows: int = BATCH_ROWS) -> Iterator["gpd.GeoDataFrame"]:
    """The kept events as GeoDataFrame slices of at most ``batch_rows``, in the dtypes validation gives."""
    import pyarrow as pa

    from geo.store.frames import to_events

    for batch in select(path, spec, _columns_but_geometry(path), batch_rows=batch_rows):
        yield to_events(pa.Table.from_batches([batch]))


def polars_frames(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec(), columns: Sequence[str] | None = None,
                  *, range_rows: int = 1_000_000) -> Iterator["pl.DataFrame"]:
    """The kept events as polars frames, one per ``range_rows`` rows of the file, in file order.

    Polars reads DuckDB's Arrow stream directly (no pyarrow, no pandas), so a filtered GeoJSON export of a big
    file starts fast; each frame holds the kept events of one range, so memory stays bounded.
    Default columns: all but WKB ``geometry`` (``lon``/``lat`` stand for it).
    """
    import polars as pl

    con = connect([path])
    try:
        src = _source(con, path, row_numbers=True)
        wanted = _columns_but_geometry(path) if columns is None else list(columns)
        total = int(con.execute(f"SELECT count(*) FROM {_source(con, path)}").fetchall()[0][0])
        where = inline(*where_clause(spec, DUCKDB))
        picked = ", ".join(_quoted(n) for n in wanted)
        for start in range(0, max(total, 1), range_rows):
            rel = con.sql(f"SELECT {picked} FROM {src} WHERE file_row_number >= {int(start)} "
                          f"AND file_row_number < {int(start + range_rows)} AND ({where})")
            frame = pl.DataFrame(rel)
            if frame.height or start == 0:
                yield frame
    except duckdb.Error as exc:
        raise GeoError(f"{path}: query failed ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()


def _columns_but_geometry(path: str | os.PathLike[str]) -> list[str]:
    """Every column with lon/lat instead of WKB: points are built from plain doubles, 10x faster."""
    con = connect([path])
    try:
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {_source(con, path)}").fetchall()]
    finally:
        con.close()
    return [n for n in names if n not in ("geometry", "bbox")]


def events(path: str | os.PathLike[str], spec: FilterSpec = FilterSpec()) -> "gpd.GeoDataFrame":
    """All kept events as one GeoDataFrame (for work that needs every column of few events: a snapshot)."""
    from geo.store.frames import to_events

    return to_events(select(path, spec, _columns_but_geometry(path)).read_all())


def finest_cell(path: str | os.PathLike[str], spec: FilterSpec, sizes: Sequence[float], *,
                max_cells: int = 2000) -> float:
    """The first of ``sizes`` (degrees, finest first) that bins the kept events into at most ``max_cells``."""
    if not sizes:
        raise GeoError("finest_cell needs at least one cell size")
    counts = ", ".join(f"count(DISTINCT (floor(lon / {float(s)!r}), floor(lat / {float(s)!r})))" for s in sizes)
    row = _query(path, spec, f"SELECT {counts} FROM {{src}} WHERE {{where}}")[0]
    return next((float(s) for s, n in zip(sizes, row) if n <= max_cells), float(sizes[-1]))


def cells(path: str | os.PathLike[str], spec: FilterSpec, *, cell_deg: float) -> "pd.DataFrame":
    """Viewport cells of the kept events on a ``cell_deg`` grid (put the viewport in ``spec.bbox``).

    Columns: ``lon``, ``lat`` (the centroid of the cell's events), ``count``, ``weapon_type`` (the most common;
    ties go to the earlier weapon of the vocabulary), ``fatalities`` (sum of the lowest reported; unknown counts
    as 0) and ``event_id`` (when the cell holds one event, else null), ordered by cell (west to east, south to
    north), as ``geo.webmap.aggregate.grid`` bins them.
    """
    import pandas as pd

    if not cell_deg > 0:
        raise GeoError(f"cell size must be positive, not {cell_deg}")
    size = repr(float(cell_deg))  # a float and our own vocabulary: safe as SQL literals
    vocab = "[" + ", ".join(f"'{w}'" for w in WEAPON_TYPES) + "]"
    rows = _query(path, spec, f"""
        WITH e AS (SELECT floor(lon / {size})::BIGINT AS cx, floor(lat / {size})::BIGINT AS cy, lon, lat,
                          weapon_type, fatalities, event_id FROM {{src}} WHERE {{where}}),
             w AS (SELECT cx, cy, weapon_type, count(*) AS n FROM e GROUP BY ALL),
             d AS (SELECT cx, cy, arg_max(weapon_type, n * 1000 - coalesce(list_position({vocab}, weapon_type), 999))
                          AS weapon_type FROM w GROUP BY ALL)
        SELECT avg(e.lon), avg(e.lat), count(*), any_value(d.weapon_type), sum(coalesce(e.fatalities, 0)),
               CASE WHEN count(*) = 1 THEN any_value(e.event_id) END
        FROM e JOIN d USING (cx, cy) GROUP BY cx, cy ORDER BY cx, cy""")
    frame = pd.DataFrame(rows, columns=["lon", "lat", "count", "weapon_type", "fatalities", "event_id"])
    return frame.astype({"lon": "float64", "lat": "float64", "count": "int64", "fatalities": "int64",
                         "weapon_type": "str", "event_id": "str"})
