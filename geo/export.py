"""Write events out: GeoJSON (RFC 7946), CSV (ACLED-like, formula-safe), GeoPackage and GeoParquet.

Whole columns are turned into text at once (polars, in Rust), never one event at a time, so a million events
export in seconds. Every file is written atomically; each format reads back through GDAL into the same events.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import polars as pl
import pyogrio
import shapely

from geo.store import atomic
from geo.errors import ExportError
from geo.formats import FORMATS, MEDIA_TYPES, format_for  # noqa: F401 - part of this module's API
from geo.geojson_lines import COORD_DECIMALS, collection_head, coordinate_text, lines
from geo.schema import (
    ACLED_TIME_PRECISION,
    COLUMNS,
    CSV_RENAMES,
    JSON_FIELDS,
    country_name,
    country_numeric,
)

#: Rows turned into text at a time: bounds the memory of an export of millions of events.
CHUNK_ROWS = 100_000
_FORMULA_START = r"^[=+\-@\t\r\x00]"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _property_columns(events: gpd.GeoDataFrame) -> list[str]:
    """Schema columns in schema order, then extra properties sorted by name (stable, diffable output)."""
    extra = sorted(c for c in events.columns if c not in COLUMNS and c != events.geometry.name)
    return [c for c in COLUMNS if c in events.columns] + extra


def _plain(events: gpd.GeoDataFrame, columns: list[str]) -> pl.DataFrame:
    """Properties as a polars frame of JSON-ready types: dates as ISO text, categories as text, NaN as null."""
    data: list[pl.Series] = []
    for name in columns:
        col = events[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            series = pl.from_pandas(col).dt.strftime("%Y-%m-%d")
        elif isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(col):
            series = pl.from_pandas(col.astype("str")).cast(pl.String)
        elif pd.api.types.is_float_dtype(col):
            series = pl.from_pandas(col).fill_nan(None)
        elif pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col):
            series = pl.from_pandas(col)
        else:  # anything else (lists, dicts from other tools): its text form
            series = pl.Series(col.map(_as_text, na_action="ignore").astype("str"), dtype=pl.String)
        data.append(series.alias(name))
    return pl.DataFrame(data, height=len(events))


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else orjson.dumps(value, default=str).decode()


def _coords(events: gpd.GeoDataFrame) -> tuple[pl.Series, pl.Series]:
    geoms = events.geometry.to_numpy()
    return coordinate_text(shapely.get_x(geoms), "__x"), coordinate_text(shapely.get_y(geoms), "__y")


def _feature_lines(events: gpd.GeoDataFrame, *, first: bool = True) -> pl.DataFrame:
    """One column of Feature JSON texts, each led by a comma but the very first, built in one polars pass."""
    columns = _property_columns(events)
    plain_cols = [c for c in columns if c not in JSON_FIELDS]
    json_cols = [c for c in columns if c in JSON_FIELDS]
    frame = _plain(events, plain_cols)
    x, y = _coords(events)
    raw_json = [pl.Series(f"__json_{c}", events[c].astype("str").to_numpy(dtype=object, na_value=None),
                          dtype=pl.String) for c in json_cols]
    return lines(frame.with_columns(x, y, *raw_json), plain_cols, json_cols, first=first)


_collection_head = collection_head


def _write_geojson(events: gpd.GeoDataFrame, out: BinaryIO, *, caption: str | None,
                   meta: Mapping[str, Any] | None) -> None:
    out.write(_collection_head(caption, meta))
    # In slices, written straight from Rust: memory stays bounded however many events there are.
    for start in range(0, len(events), CHUNK_ROWS):
        lines = _feature_lines(events.iloc[start:start + CHUNK_ROWS], first=start == 0)
        lines.write_csv(out, include_header=False, quote_style="never", line_terminator="\n")
    out.write(b"]}\n")


def geojson_bytes(events: gpd.GeoDataFrame, *, caption: str | None = None,
                  meta: Mapping[str, Any] | None = None) -> bytes:
    """Events as an RFC 7946 FeatureCollection: lon/lat, 6 decimals, no ``crs`` member.

    ``caption``, the export time and ``meta`` are written as foreign members of the collection.
    """
    buffer = io.BytesIO()
    _write_geojson(events, buffer, caption=caption, meta=meta)
    return buffer.getvalue()


def _neutralised(name: str) -> pl.Expr:
    """Quote a text cell a spreadsheet would run as a formula; numbers such as '-5' stay numbers."""
    col = pl.col(name)
    risky = col.str.contains(_FORMULA_START) & ~col.str.contains(_NUMBER)
    return pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name)


neutralised = _neutralised  # public for other CSV writers in geo (the Import page's row report)


#: Fields that fill ACLED's own columns in the CSV, so they are not repeated under their own names.
_IN_ACLED_COLUMNS = ("event_id", "date", "event_type", "sub_event_type", "actor", "admin1", "location",
                     "geo_precision", "description", "fatalities", "updated")


def csv_frame(events: gpd.GeoDataFrame) -> pl.DataFrame:
    """The CSV layout: ACLED's columns first (derived where ACLED has them), then ours, text made formula-safe."""
    frame = _plain(events, _property_columns(events))
    geoms = events.geometry.to_numpy()
    codes = [c for c in events["country"].astype("str").unique() if isinstance(c, str)]
    country = pl.col("country")
    acled = frame.select(
        pl.col("event_id").alias("event_id_cnty"),
        pl.col("date").alias("event_date"),
        pl.col("date").str.slice(0, 4).cast(pl.Int32).alias("year"),
        pl.col("date_precision").replace_strict(ACLED_TIME_PRECISION, default=None, return_dtype=pl.Int8)
        .alias("time_precision"),
        "event_type", "sub_event_type",
        pl.col("actor").alias("actor1"),
        country.replace_strict({c: country_numeric(c) for c in codes}, default=None, return_dtype=pl.String)
        .alias("iso"),
        country.replace_strict({c: country_name(c) for c in codes}, default=None, return_dtype=pl.String)
        .alias("country"),
        "admin1", "location",
        pl.Series("latitude", np.round(shapely.get_y(geoms), COORD_DECIMALS)),
        pl.Series("longitude", np.round(shapely.get_x(geoms), COORD_DECIMALS)),
        "geo_precision",
        pl.Series("source", _publishers(events["sources"]), dtype=pl.String),
        pl.col("description").alias("notes"),
        "fatalities",
        pl.col("updated").alias("timestamp"),
    )
    ours = frame.drop([c for c in _IN_ACLED_COLUMNS if c in frame.columns]).rename(
        {k: v for k, v in CSV_RENAMES.items() if k in frame.columns and k not in _IN_ACLED_COLUMNS})
    out = pl.concat([acled, ours], how="horizontal")
    text = [name for name, dtype in out.schema.items() if dtype == pl.String]
    return out.with_columns(_neutralised(name) for name in text).rename(_safe_headers(out.columns))


def _safe_headers(names: list[str]) -> dict[str, str]:
    """Header cells a spreadsheet would run (an extra property named '=HYPERLINK(...)', '@SUM(..)', '+1', tab-led)
    get the quote that cells get. Unlike cells, numeric-looking names are quoted too: a header is never a number."""
    taken = set(names)
    renames: dict[str, str] = {}
    for name in names:
        if re.match(_FORMULA_START, name):
            safe = "'" + name
            while safe in taken:  # (a property already named with the quote: keep every header distinct)
                safe = "'" + safe
            taken.add(safe)
            renames[name] = safe
    return renames


def _publishers(sources: pd.Series) -> pl.Series:
    """ACLED's ``source`` column: the publishers of each event joined by '; '."""
    texts = pl.Series(sources.astype("str").to_numpy(dtype=object, na_value=None), dtype=pl.String)
    decoded = texts.str.json_decode(pl.List(pl.Struct({"publisher": pl.String})))
    return decoded.list.eval(pl.element().struct.field("publisher")).list.join("; ")


def _write_csv(events: gpd.GeoDataFrame, out: BinaryIO) -> None:
    # CRLF line ends: a lone CR inside a quoted cell then cannot be taken for the end of a row.
    for start in range(0, max(len(events), 1), CHUNK_ROWS):
        csv_frame(events.iloc[start:start + CHUNK_ROWS]).write_csv(
            out, line_terminator="\r\n", quote_style="necessary", include_header=start == 0)


def csv_bytes(events: gpd.GeoDataFrame) -> bytes:
    """Events as UTF-8 CSV with CRLF line ends, ACLED's columns first, formula-safe."""
    buffer = io.BytesIO()
    _write_csv(events, buffer)
    return buffer.getvalue()


def _gdal_frame(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Categoricals as text and dates as dates, which GDAL drivers understand."""
    frame = events.copy()
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            frame[name] = col.astype("str").where(col.notna())
        elif pd.api.types.is_datetime64_any_dtype(col):
            frame[name] = col.dt.strftime("%Y-%m-%d").where(col.notna())
    return frame


def _write_file(path: Path, writer: Any, events: gpd.GeoDataFrame, **options: Any) -> None:
    with open(path, "wb") as out:
        writer(events, out, **options)


def write(events: gpd.GeoDataFrame, path: str | os.PathLike[str], *, fmt: str | None = None,
          caption: str | None = None, meta: Mapping[str, Any] | None = None) -> Path:
    """Write events to ``path`` atomically in the format its extension names (or ``fmt``)."""
    fmt = fmt or format_for(path)
    try:
        if fmt == "geojson":
            return atomic.write_with(path, lambda tmp: _write_file(tmp, _write_geojson, events,
                                                                   caption=caption, meta=meta))
        if fmt == "csv":
            return atomic.write_with(path, lambda tmp: _write_file(tmp, _write_csv, events))
        if fmt == "gpkg":
            from geo.export_slices import write_gpkg

            return write_gpkg(events, path)
        if fmt == "parquet":
            return atomic.write_with(path, lambda tmp: events.to_parquet(tmp, compression="zstd"))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    raise ExportError(f"unknown export format '{fmt}'; use one of {', '.join(sorted(set(FORMATS.values())))}")


def to_bytes(events: gpd.GeoDataFrame, fmt: str, *, caption: str | None = None) -> bytes:
    """The bytes of an export, for downloads; binary formats go through a temporary file."""
    if fmt == "geojson":
        return geojson_bytes(events, caption=caption)
    if fmt == "csv":
        return csv_bytes(events)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"events.{'gpkg' if fmt == 'gpkg' else 'parquet'}"
        write(events, path, fmt=fmt)
        return path.read_bytes()
