"""Aggregates that PostGIS computes so that only their results cross the network: viewport cells and Trends tables.

Same shapes as the in-memory versions (``geo.store.base.frame_cells``, ``geo.stats.trends``), compared with them
in tests/test_store_postgis.py.
"""

from __future__ import annotations

import pandas as pd
import psycopg

from geo.query import FilterSpec
from geo.schema import WEAPON_NAMES, WEAPON_TYPES, country_name
from geo.sql import POSTGRES, where_clause
from geo.store.base import CELL_COLUMNS, StoreError


def cells(con: psycopg.Connection, spec: FilterSpec, *, cell_deg: float) -> pd.DataFrame:
    """The kept events binned on a ``cell_deg`` grid (see ``Store.cells``), sorted by cell."""
    if not cell_deg > 0:
        raise StoreError(f"cell size must be a positive number of degrees, not {cell_deg!r}")
    where, params = where_clause(spec, POSTGRES)
    # One pass: group by (cell, weapon), then roll each cell up (no self-join, whose row estimate misleads the planner).
    rows = con.execute(
        f"""SELECT sum(sx) / sum(c), sum(sy) / sum(c), sum(c),
                   (array_agg(weapon_type ORDER BY c DESC, array_position(%(order)s::text[], weapon_type)))[1],
                   sum(fat), CASE WHEN sum(c) = 1 THEN min(id) END
            FROM (SELECT floor(ST_X(geom) / %(size)s)::bigint AS cx, floor(ST_Y(geom) / %(size)s)::bigint AS cy,
                         weapon_type, count(*) AS c, sum(ST_X(geom)) AS sx, sum(ST_Y(geom)) AS sy,
                         sum(COALESCE(fatalities, 0)) AS fat, min(event_id) AS id
                  FROM events WHERE {_named(where)} GROUP BY 1, 2, 3) t
            GROUP BY cx, cy ORDER BY cx, cy""",
        {"size": cell_deg, "order": list(WEAPON_TYPES), **_params(params)}).fetchall()
    frame = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
    return frame.astype({"lon": "float64", "lat": "float64", "count": "int64", "fatalities": "int64",
                         "weapon_type": "object", "event_id": "object"})


def trends(con: psycopg.Connection, spec: FilterSpec, *, top: int = 12) -> dict[str, pd.DataFrame]:
    """The tables of ``geo.stats.trends`` for the kept events, each computed by one GROUP BY."""
    where, params = where_clause(spec, POSTGRES)

    def frame(select: str, columns: list[str], tail: str = "", extra: list | None = None) -> pd.DataFrame:
        rows = con.execute(f"{select} FROM events WHERE {where} {tail}", [*params, *(extra or [])]).fetchall()
        return pd.DataFrame(rows, columns=columns)

    weekly = frame("SELECT date_trunc('week', \"date\")::timestamp, weapon_type, count(*)",
                   ["week", "weapon_type", "events"], "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")
    weekly["week"] = weekly["week"].astype("datetime64[ns]")
    weekly["weapon"] = weekly["weapon_type"].map(WEAPON_NAMES)
    monthly = frame("SELECT date_trunc('month', \"date\")::timestamp, COALESCE(sum(fatalities), 0), count(*)",
                    ["month", "fatalities", "events"], "GROUP BY 1 ORDER BY 1")
    monthly["month"] = monthly["month"].astype("datetime64[ns]")
    actors = frame("SELECT actor, count(*)", ["actor", "events"], "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s", [top])
    targets = frame("SELECT target, count(*)", ["target", "events"],
                    "AND target IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s", [top])
    pairs = frame("SELECT country, attribution, count(*)", ["country", "attribution", "events"],
                  "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")
    pairs["country"] = pairs["country"].map(lambda code: country_name(str(code)))  # a few dozen codes, not events
    pairs = pairs.groupby(["country", "attribution"], as_index=False, sort=False)["events"].sum()
    for table in (weekly, monthly, actors, targets, pairs):
        table["events"] = table["events"].astype("int64")
    monthly["fatalities"] = monthly["fatalities"].astype("int64")
    return {"weekly": weekly, "monthly": monthly, "actors": actors, "targets": targets, "country_attribution": pairs}


def _named(where: str) -> str:
    """The positional ``%s`` of a where clause as named ``%(pN)s`` (to mix with named parameters)."""
    parts = where.split("%s")
    return "".join(part + (f"%(p{i})s" if i < len(parts) - 1 else "") for i, part in enumerate(parts))


def _params(params: list) -> dict[str, object]:
    return {f"p{i}": value for i, value in enumerate(params)}
