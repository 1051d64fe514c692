"""GeoJSON FeatureCollection text from polars columns: one ``Feature`` per row, built in one polars pass.

``geo.export`` feeds it events from memory; ``python -m geo export`` feeds it the query engine's slices straight
from DuckDB (polars reads DuckDB's Arrow stream), so a filtered export of a big file needs neither pandas nor
shapely. Both give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from geo.schema import COLUMNS, JSON_FIELDS

if TYPE_CHECKING:  # polars and numpy load with the first line written: the head and constants need neither
    import numpy as np
    import polars as pl

#: Decimal places of exported coordinates: 6 is about 0.1 m, far below any event's real precision.
COORD_DECIMALS = 6
#: Rows turned into text at a time: bounds the memory of an export of millions of events.
CHUNK_ROWS = 100_000


def collection_head(caption: str | None, meta: Mapping[str, Any] | None) -> bytes:
    """The collection's opening: type, caption, export time and ``meta`` as foreign members, then ``features``."""
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if caption is not None:
        head["caption"] = caption
    head["exported"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    head.update(meta or {})
    return orjson.dumps(head)[:-1] + b',"features":[\n'


def coordinate_text(values: np.ndarray, name: str) -> pl.Series:
    """Coordinates rounded to ``COORD_DECIMALS`` as text."""
    import numpy as np
    import polars as pl

    return pl.Series(name, np.round(values, COORD_DECIMALS)).cast(pl.String)


def lines(frame: pl.DataFrame, plain_cols: Sequence[str], json_cols: Sequence[str], *, first: bool) -> pl.DataFrame:
    """One column ``f`` of Feature texts, each led by a comma but the very first.

    ``frame`` holds the plain property columns (JSON-ready types), ``__x``/``__y`` as text and, for each JSON
    column, ``__json_<name>`` holding its JSON text.
    """
    import polars as pl

    # Properties: the plain columns encoded as one JSON object, then the JSON-text columns spliced in as values.
    props = pl.struct(list(plain_cols)).struct.json_encode().str.strip_suffix("}") if plain_cols else pl.lit("{")
    pieces: list[pl.Expr] = [
        pl.when((pl.int_range(pl.len()) == 0) & first).then(pl.lit("")).otherwise(pl.lit(",")),
        pl.lit('{"type":"Feature","geometry":{"type":"Point","coordinates":['),
        pl.col("__x"), pl.lit(","), pl.col("__y"), pl.lit(']},"properties":'), props,
    ]
    for i, name in enumerate(json_cols):
        sep = "," if plain_cols or i else ""
        pieces += [pl.lit(f'{sep}"{name}":'), pl.col(f"__json_{name}").fill_null("null")]
    pieces.append(pl.lit("}}"))
    return frame.lazy().select(pl.concat_str(pieces).alias("f")).collect()


def _engine_lines(frame: pl.DataFrame, *, first: bool) -> pl.DataFrame:
    """Feature texts of an engine slice (schema columns as DuckDB gives them, plus ``lon``/``lat``)."""
    import polars as pl

    skip = {"lon", "lat", "geometry", "bbox"}
    present = [c for c in frame.columns if c not in skip]
    columns = [c for c in COLUMNS if c in present] + sorted(c for c in present if c not in COLUMNS)
    plain_cols = [c for c in columns if c not in JSON_FIELDS]
    json_cols = [c for c in columns if c in JSON_FIELDS]
    plain: list[pl.Expr] = []
    for name in plain_cols:
        dtype = frame.schema[name]
        col = pl.col(name)
        if dtype.is_temporal():
            col = col.dt.strftime("%Y-%m-%d")
        elif dtype.is_float():
            col = col.fill_nan(None)
        elif not dtype.is_numeric() and dtype != pl.Boolean:
            col = col.cast(pl.String)
        plain.append(col.alias(name))
    extra = [pl.col(c).cast(pl.String).alias(f"__json_{c}") for c in json_cols]
    body = frame.select(*plain, *extra).with_columns(coordinate_text(frame["lon"].to_numpy(), "__x"),
                                                     coordinate_text(frame["lat"].to_numpy(), "__y"))
    return lines(body, plain_cols, json_cols, first=first)


def write_engine_slices(frames: Iterable[pl.DataFrame], out: BinaryIO, *, caption: str | None = None,
                        meta: Mapping[str, Any] | None = None) -> int:
    """Write polars slices of the query engine as one FeatureCollection to ``out``; return the events written."""
    out.write(collection_head(caption, meta))
    written = 0
    for frame in frames:
        for start in range(0, frame.height, CHUNK_ROWS):
            part = frame.slice(start, CHUNK_ROWS)
            _engine_lines(part, first=written == 0).write_csv(out, include_header=False, quote_style="never",
                                                              line_terminator="\n")
            written += part.height
    out.write(b"]}\n")
    return written
