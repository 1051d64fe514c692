"""``FilterSpec`` -> a SQL ``WHERE`` clause with bound parameters, for the engines that answer big queries.

The same spec keeps the same events in pandas (``geo.query.mask``) and in SQL: dates compare on
``COALESCE(date_end, date)`` for ``since`` and on ``date`` for ``until``; vocabularies are exact; actor and country
compare case-insensitively; numbers skip missing values; the bbox may cross the antimeridian; the text search is a
case-insensitive substring of description, location, actor or target. Values are never spliced into the SQL text:
each is a bound parameter (``?`` for DuckDB, ``%s`` for psycopg).

    where, params = where_clause(spec, DUCKDB)
    con.execute(f"SELECT count(*) FROM events WHERE {where}", params)
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.query import FilterSpec


@dataclass(frozen=True)
class Dialect:
    """How one engine spells what the clause needs."""

    name: str
    placeholder: str  # "?" (DuckDB, SQLite) or "%s" (psycopg)
    lon: str = "lon"  # expression of an event's longitude
    lat: str = "lat"  # expression of its latitude
    #: ``{w} {s} {e} {n}`` placeholders of a bbox test an index can use (PostGIS: ``geom && ST_MakeEnvelope``),
    #: ANDed before the exact test on lon/lat; empty when the engine has none.
    envelope: str = ""


DUCKDB = Dialect("duckdb", "?")
POSTGRES = Dialect("postgres", "%s", lon="ST_X(geom)", lat="ST_Y(geom)",
                   envelope="geom && ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326)")

#: Columns the text search looks in (as ``geo.query.mask`` does).
TEXT_COLUMNS = ("description", "location", "actor", "target")


def _like_pattern(text: str) -> str:
    """A LIKE pattern for a literal substring: the wildcards and the escape character itself are escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_clause(spec: FilterSpec, dialect: Dialect = DUCKDB) -> tuple[str, list[object]]:
    """The SQL condition that keeps what ``spec`` keeps, and its parameters in order ("TRUE" for an empty spec)."""
    parts: list[str] = []
    params: list[object] = []
    ph = dialect.placeholder

    def values_in(expr: str, values: tuple[str, ...], *, fold: bool = False) -> None:
        marks = ", ".join([ph] * len(values))
        parts.append(f"{'lower(' + expr + ')' if fold else expr} IN ({marks})")
        params.extend(v.lower() if fold else v for v in values)

    if spec.since is not None:
        parts.append(f'COALESCE("date_end", "date") >= {ph}')
        params.append(spec.since)
    if spec.until is not None:
        parts.append(f'"date" <= {ph}')
        params.append(spec.until)
    if spec.weapons:
        values_in("weapon_type", spec.weapons)
    if spec.actors:
        values_in("actor", spec.actors, fold=True)
    if spec.attributions:
        values_in("attribution", spec.attributions)
    if spec.outcomes:
        values_in("outcome", spec.outcomes)
    if spec.countries:
        values_in("country", spec.countries, fold=True)
    if spec.min_fatalities is not None:
        parts.append(f"fatalities >= {ph}")
        params.append(spec.min_fatalities)
    if spec.max_precision_km is not None:
        parts.append(f"precision_km <= {ph}")
        params.append(spec.max_precision_km)
    if spec.bbox is not None:
        w, s, e, n = spec.bbox
        x, y = dialect.lon, dialect.lat
        if dialect.envelope and w <= e:
            parts.append(dialect.envelope.format(w=ph, s=ph, e=ph, n=ph))
            params.extend([w, s, e, n])
        if w <= e:
            parts.append(f"{x} BETWEEN {ph} AND {ph}")
            params.extend([w, e])
        else:  # across the antimeridian
            parts.append(f"({x} >= {ph} OR {x} <= {ph})")
            params.extend([w, e])
        parts.append(f"{y} BETWEEN {ph} AND {ph}")
        params.extend([s, n])
    if spec.text and spec.text.strip():
        pattern = _like_pattern(spec.text.strip())
        ors = " OR ".join(f"COALESCE({c}, '') ILIKE {ph} ESCAPE '\\'" for c in TEXT_COLUMNS)
        parts.append(f"({ors})")
        params.extend([pattern] * len(TEXT_COLUMNS))
    return (" AND ".join(parts) if parts else "TRUE"), params


def literal(value: object) -> str:
    """``value`` as a DuckDB SQL literal: text quoted (quotes doubled), dates typed, numbers finite or typed.

    For engines whose parameter binding costs more than the query: DuckDB's Python binding imports numpy and
    pandas on the first bound parameter (about a second on a busy machine), which a one-line ``stats`` need not
    pay. Only the value types a ``where_clause`` binds are accepted.
    """
    import math
    from datetime import date, datetime

    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"'{value!r}'::DOUBLE"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("a SQL text value cannot hold a NUL character")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def inline(sql: str, params: list[object]) -> str:
    """A clause of ``where_clause(spec, DUCKDB)`` with each ``?`` replaced by its value's ``literal``.

    Safe because the clause's own text never holds a ``?`` other than its placeholders: every value a user gives
    is one of ``params``.
    """
    pieces = sql.split("?")
    if len(pieces) != len(params) + 1:
        raise ValueError(f"{len(pieces) - 1} placeholders for {len(params)} parameters")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:]):
        out += [literal(value), piece]
    return "".join(out)
