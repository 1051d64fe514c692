"""Write events out: GeoJSON (RFC 7946), CSV (ACLED-like, formula-safe), GeoPackage and GeoParquet.

Whole columns are turned into text at once (polars, in Rust), never one event at a time, so a million events
export in seconds. Every file is written atomically; each format reads back through GDAL into the same events.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import polars as pl
import pyogrio
import shapely

from geo import atomic
from geo.errors import ExportError
from geo.schema import (
    ACLED_TIME_PRECISION,
    COLUMNS,
    CSV_RENAMES,
    JSON_FIELDS,
    country_name,
    country_numeric,
)

#: Decimal places of exported coordinates: 6 is about 0.1 m, far below any event's real precision.
COORD_DECIMALS = 6
FORMATS: dict[str, str] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".csv": "csv",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
MEDIA_TYPES: dict[str, str] = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "gpkg": "application/geopackage+sqlite3",
    "parquet": "application/vnd.apache.parquet",
}
_FORMULA_START = r"^[=+\-@\t\r\x00]"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def format_for(path: str | os.PathLike[str]) -> str:
    """Export format from a file name's extension; ExportError for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: cannot tell the format from '{suffix or '(no extension)'}'; "
                          f"use one of {', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


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
    x = np.round(shapely.get_x(geoms), COORD_DECIMALS)
    y = np.round(shapely.get_y(geoms), COORD_DECIMALS)
    return pl.Series("x", x).cast(pl.String), pl.Series("y", y).cast(pl.String)


def geojson_bytes(events: gpd.GeoDataFrame, *, caption: str | None = None,
                  meta: Mapping[str, Any] | None = None) -> bytes:
    """Events as an RFC 7946 FeatureCollection: lon/lat, 6 decimals, no ``crs`` member.

    ``caption``, the export time and ``meta`` are written as foreign members of the collection.
    """
    columns = _property_columns(events)
    plain_cols = [c for c in columns if c not in JSON_FIELDS]
    frame = _plain(events, plain_cols)
    props = frame.select(pl.struct(pl.all()).struct.json_encode().alias("p"))["p"] if plain_cols else None
    if props is None:
        props = pl.Series("p", ["{}"] * len(events))
    for name in (c for c in columns if c in JSON_FIELDS):
        raw = pl.Series(name, events[name].astype("str").to_numpy(dtype=object, na_value=None), dtype=pl.String)
        props = props.str.strip_suffix("}") + ("," if plain_cols else "") + f'"{name}":' + raw.fill_null("null") + "}"
    x, y = _coords(events)
    features = pl.select(
        pl.concat_str([pl.lit('{"type":"Feature","geometry":{"type":"Point","coordinates":['),
                       pl.lit(x), pl.lit(","), pl.lit(y), pl.lit(']},"properties":'), pl.lit(props), pl.lit("}")])
        .str.join(",\n").alias("f")
    )["f"][0] if len(events) else ""
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if caption is not None:
        head["caption"] = caption
    head["exported"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    head.update(meta or {})
    opening = orjson.dumps(head)[:-1] + b',"features":[\n'
    return opening + features.encode() + b"\n]}\n"


def _neutralise(text: pd.Series) -> pd.Series:
    """Quote cells a spreadsheet would run as a formula; numbers such as '-5' stay numbers."""
    risky = text.str.contains(_FORMULA_START, regex=True).fillna(False) & ~text.str.match(_NUMBER).fillna(False)
    return text.where(~risky.astype(bool), "'" + text)


#: Fields that fill ACLED's own columns in the CSV, so they are not repeated under their own names.
_IN_ACLED_COLUMNS = ("event_id", "date", "event_type", "sub_event_type", "actor", "admin1", "location",
                     "geo_precision", "description", "fatalities", "updated")


def csv_frame(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """The CSV layout: ACLED's columns first (derived where ACLED has them), then ours, text made formula-safe."""
    frame = _plain(events, _property_columns(events)).to_pandas(use_pyarrow_extension_array=True)
    geoms = events.geometry.to_numpy()
    country = events["country"].astype("str")
    codes = [c for c in country.unique() if isinstance(c, str)]
    acled = pd.DataFrame({
        "event_id_cnty": frame["event_id"],
        "event_date": frame["date"],
        "year": events["date"].dt.year.astype("Int64").to_numpy(),
        "time_precision": events["date_precision"].astype("str").map(ACLED_TIME_PRECISION).astype("Int64").to_numpy(),
        "event_type": frame["event_type"],
        "sub_event_type": frame["sub_event_type"],
        "actor1": frame["actor"],
        "iso": country.map({c: country_numeric(c) for c in codes}).to_numpy(),
        "country": country.map({c: country_name(c) for c in codes}).to_numpy(),
        "admin1": frame["admin1"],
        "location": frame["location"],
        "latitude": np.round(shapely.get_y(geoms), COORD_DECIMALS),
        "longitude": np.round(shapely.get_x(geoms), COORD_DECIMALS),
        "geo_precision": frame["geo_precision"],
        "source": _publishers(events["sources"]),
        "notes": frame["description"],
        "fatalities": frame["fatalities"],
        "timestamp": frame["updated"],
    })
    ours = frame.drop(columns=[c for c in _IN_ACLED_COLUMNS if c in frame]).rename(columns=CSV_RENAMES)
    out = pd.concat([acled, ours], axis=1)
    for name in out.columns:
        if pd.api.types.is_string_dtype(out[name]) or out[name].dtype == object:
            out[name] = _neutralise(out[name].astype("str").where(out[name].notna()))
    return out


def _publishers(sources: pd.Series) -> np.ndarray:
    """ACLED's ``source`` column: the publishers of each event joined by '; '."""
    texts = pl.Series(sources.astype("str").to_numpy(dtype=object, na_value=None), dtype=pl.String)
    decoded = texts.str.json_decode(pl.List(pl.Struct({"publisher": pl.String})))
    joined = decoded.list.eval(pl.element().struct.field("publisher")).list.join("; ")
    return joined.to_numpy()


def csv_bytes(events: gpd.GeoDataFrame) -> bytes:
    """Events as UTF-8 CSV with CRLF line ends (a lone CR inside a cell cannot split a row)."""
    frame = pl.from_pandas(csv_frame(events))
    return frame.write_csv(line_terminator="\r\n", quote_style="necessary").encode()


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


def write(events: gpd.GeoDataFrame, path: str | os.PathLike[str], *, fmt: str | None = None,
          caption: str | None = None, meta: Mapping[str, Any] | None = None) -> Path:
    """Write events to ``path`` atomically in the format its extension names (or ``fmt``)."""
    fmt = fmt or format_for(path)
    try:
        if fmt == "geojson":
            return atomic.write_bytes(path, geojson_bytes(events, caption=caption, meta=meta))
        if fmt == "csv":
            return atomic.write_bytes(path, csv_bytes(events))
        if fmt == "gpkg":
            frame = _gdal_frame(events)
            return atomic.write_with(path, lambda tmp: pyogrio.write_dataframe(
                frame, tmp, layer="events", driver="GPKG"))
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
