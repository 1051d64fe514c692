"""GeoJSON Feature text written by DuckDB straight from a GeoParquet: a filtered export without polars or pandas.

``plan`` turns the columns of an engine file into one SQL expression per event, giving the very bytes
``geo.geojson_lines`` gives (same key order, coordinates rounded half to even to 6 decimals, dates as YYYY-MM-DD,
NaN as null, JSON columns spliced as they are). DuckDB's JSON writer differs from polars' in two places only, both
handled here:

- control characters are escaped in upper-case hex (``\\u001B``; polars writes ``\\u001b``): rows whose properties
  hold such an escape are flagged by the query and fixed in Python (``_lower_escapes``), a rare case;
- floats below 1e-4 or from 1e15 are written in other notations: ``unsafe_sql`` finds such values, and the caller
  then takes the polars path for the whole export.

``write_lines`` writes the text column of DuckDB's Arrow stream buffer by buffer: no Python object per event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from geo.geojson_lines import collection_head
from geo.schema import COLUMNS, JSON_FIELDS

if TYPE_CHECKING:
    import pyarrow as pa

_INTS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_TIMES = {"DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_ .:/-]+$")  # names whose JSON key is the name itself, in both writers
_SKIP = {"lon", "lat", "geometry", "bbox"}
#: Magnitudes whose shortest text is the same in DuckDB and polars (checked on millions of values by the tests).
FLOAT_SAFE = "({x} = 0 OR (abs({x}) >= 0.0001 AND abs({x}) < 1e15))"
#: Checked on the coordinate as stored: rounding to 6 decimals keeps a value in this range (and a 0, which one
#: writer may give as -0.0 and the other as 0.0, out of it).
COORD_SAFE = "(abs({x}) >= 0.0001 AND abs({x}) < 1e6)"
_ESCAPE = re.compile(r"\\\\|\\u00[0-9A-F]{2}")


@dataclass(frozen=True)
class Plan:
    """The SQL of one export: ``columns`` to select (``f`` the line, ``k``/``p`` set on rows to fix), and
    ``unsafe`` a condition true for an event whose numbers DuckDB would write otherwise than polars."""

    columns: list[str]
    unsafe: str


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _s(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _coord(name: str) -> str:
    return f"(round_even({name} * 1000000.0, 0) / 1000000.0)"


def _value(name: str, kind: str) -> str | None:
    """SQL of one property's JSON value as polars writes it, or None for a type left to polars."""
    col = _q(name)
    if kind == "VARCHAR":
        return f"coalesce(to_json({col})::VARCHAR, 'null')"
    if kind in _INTS:
        return f"coalesce(CAST({col} AS VARCHAR), 'null')"
    if kind == "DOUBLE":
        return f"CASE WHEN {col} IS NULL OR isnan({col}) THEN 'null' ELSE to_json({col})::VARCHAR END"
    if kind == "BOOLEAN":
        return f"coalesce(to_json({col})::VARCHAR, 'null')"
    if kind in _TIMES:
        return f"coalesce('\"' || strftime({col}, '%Y-%m-%d') || '\"', 'null')"
    return None


def plan(types: Mapping[str, str]) -> Plan | None:
    """The SQL of the Feature lines of a file with these columns (name -> DuckDB type), or None when a column's
    type or name is one this module does not write exactly as polars does (the caller then uses polars)."""
    if not {"lon", "lat"} <= set(types):
        return None
    present = [c for c in types if c not in _SKIP]
    columns = [c for c in COLUMNS if c in present] + sorted(c for c in present if c not in COLUMNS)
    plain = [c for c in columns if c not in JSON_FIELDS]
    json_cols = [c for c in columns if c in JSON_FIELDS]
    if not plain or any(not _PLAIN_NAME.match(c) for c in columns):
        return None
    if any(types[c] != "VARCHAR" for c in json_cols):
        return None
    props: list[str] = []
    for i, name in enumerate(plain):
        value = _value(name, types[name])
        if value is None:
            return None
        props += [_s(("{" if i == 0 else ",") + f'"{name}":'), value]
    tail: list[str] = []
    for name in json_cols:
        tail += [_s(f',"{name}":'), f"coalesce(CAST({_q(name)} AS VARCHAR), 'null')"]
    tail.append(_s("}}\n"))
    head = (f"concat(',{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[', "
            f"to_json({_coord('lon')})::VARCHAR, ',', to_json({_coord('lat')})::VARCHAR, ']}},\"properties\":')")
    body = f"concat({', '.join(props)})"
    # (DuckDB evaluates each expression once per row: the head and properties are spelled twice, computed twice only
    # on the rare rows flagged for a fix)
    flagged = f"contains({body}, '\\u00')"
    line = f"concat({head}, {body}, {', '.join(tail)}) AS f"
    k = f"CASE WHEN {flagged} THEN strlen({head}) END AS k"
    p = f"CASE WHEN {flagged} THEN {body} END AS p"
    doubles = [c for c in plain if types[c] == "DOUBLE"]
    unsafe = [f"NOT coalesce({COORD_SAFE.format(x=c)}, FALSE)" for c in ("lon", "lat")]
    unsafe += [f"NOT coalesce({_q(c)} IS NULL OR isnan({_q(c)}) OR {FLOAT_SAFE.format(x=_q(c))}, TRUE)"
               for c in doubles]
    return Plan([line, k, p], " OR ".join(unsafe))


def _lower_escapes(text: str) -> str:
    r"""``\u001B`` as ``\u001b`` in JSON text (escaped backslashes are stepped over, so ``\\u001B`` stays)."""
    return _ESCAPE.sub(lambda m: m.group(0).lower() if m.group(0)[1] == "u" else m.group(0), text)


def _fixed(batch: pa.RecordBatch) -> bytes:
    """The lines of a batch with flagged rows: their properties' escapes lowered (the rest as DuckDB wrote it)."""
    lines, starts, props = (batch.column(i).to_pylist() for i in range(3))
    for i, start in enumerate(starts):
        if start is not None:
            prop = props[i]
            start = len(lines[i].encode()[:start].decode())  # (strlen counts bytes)
            lines[i] = lines[i][:start] + _lower_escapes(prop) + lines[i][start + len(prop):]
    return "".join(lines).encode()


def write_lines(batches: Iterable[pa.RecordBatch], out: BinaryIO, *, caption: str | None = None,
                meta: Mapping[str, Any] | None = None) -> int:
    """Write the batches of a ``Plan``'s query as one FeatureCollection; return the events written.

    Each line is led by a comma and ends in a newline: the first event's comma is left out, so the text is
    ``geo.geojson_lines``' own.
    """
    import pyarrow as pa

    out.write(collection_head(caption, meta))
    written = 0
    for batch in batches:
        if not batch.num_rows:
            continue
        if batch.column(1).null_count == batch.num_rows:
            text = batch.column(0)
            if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
                text = text.cast(pa.string())
            offsets = memoryview(text.buffers()[1]).cast("q" if pa.types.is_large_string(text.type) else "i")
            start, end = offsets[text.offset], offsets[text.offset + len(text)]
            data = memoryview(text.buffers()[2])[start:end]
        else:
            data = memoryview(_fixed(batch))
        out.write(data[1:] if written == 0 else data)
        written += batch.num_rows
    out.write(b"]}\n")
    return written


__all__: Sequence[str] = ["Plan", "plan", "write_lines"]
