"""``check``: raw event columns in, typed events plus every problem out."""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.placecheck import country_problems
from geo.schema import CATEGORY_COLUMNS, COLUMNS, CRS, FIELDS, VOCAB_DTYPES
from geo.validate.fields import (
    check_acled,
    check_country,
    check_dates,
    check_geometry,
    check_number,
    check_vocab,
    duplicated,
)
from geo.validate.found import Checked, Collector
from geo.validate.sources import check_coord_source, check_sources
from geo.validate.text import text_column


def _scalar_cells(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells that hold a list or an object (GDAL reads a GeoJSON array of numbers as a list) become JSON text,
    so every check sees text or numbers; only object columns that hold such cells are touched."""
    import orjson

    nested = [c for c in raw.columns if raw[c].dtype == object
              and pd.api.types.infer_dtype(raw[c], skipna=True) not in _SCALAR_KINDS]
    if not nested:
        return raw
    raw = raw.copy(deep=False)
    option = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    for c in nested:
        raw[c] = raw[c].map(lambda v: orjson.dumps(v, option=option, default=str).decode()
                            if isinstance(v, (list, tuple, dict, np.ndarray)) else v)
    return raw


_SCALAR_KINDS = {"string", "empty", "floating", "integer", "boolean", "mixed-integer-float", "decimal",
                 "datetime", "datetime64", "date", "timedelta", "time", "bytes"}


def check(raw: pd.DataFrame, geometry: gpd.GeoSeries | np.ndarray, *,
          points: tuple[np.ndarray, np.ndarray] | None = None, normalised: Collection[str] = (),
          ids_unique: bool = False, coded: Collection[str] = ()) -> Checked:
    """Validate raw event columns and return them typed, with every problem found.

    Parameters
    ----------
    raw : DataFrame of properties as read from a file (any dtypes; extra columns are kept as they are).
    geometry : one geometry per row (shapely objects or None), in WGS84 lon/lat.
    points : the (lon, lat) columns ``geometry`` was made from by ``geo.ingest.common.points`` (None where a
        coordinate is missing), so they are not read back from a million geometries.
    normalised : text columns the caller made as this check normalises text (arrow text, stripped, one kind of
        line break, empty as missing), so they are not scanned again; each is still checked for what it must hold.
    ids_unique : the caller made ``event_id`` hold no value twice (the ACLED reader collapses repeated ids itself),
        so the duplicate test is not run again.
    coded : categorical text columns (event_type, sub_event_type, sources, actor) left categorical in the result,
        their categories normalised: the caller turns them into text (``geo.ingest.finish``, for the valid rows
        only); an actor column is then taken as it is (its categories as given).
    """
    raw = _scalar_cells(raw.reset_index(drop=True))
    out = Collector(raw)
    geom = gpd.GeoSeries(np.asarray(geometry, dtype=object), crs=CRS)
    lon, lat = check_geometry(geom, out, points)
    for f in FIELDS:
        if f.required and f.name not in raw:
            out.add(f.name, np.ones(len(raw), dtype=bool), "missing (required property)")
    typed: dict[str, pd.Series] = {}
    typed.update(check_dates(raw, out, normalised))
    for name, dtype in VOCAB_DTYPES.items():
        typed[name] = pd.Series(check_vocab(raw, name, dtype, out), index=raw.index)
    typed["fatalities"] = check_number(raw, "fatalities", integer=True, out=out).round().astype("Int64")
    gp = check_number(raw, "geo_precision", integer=True, out=out)
    out.add("geo_precision", gp.notna().to_numpy() & ~gp.isin([1, 2, 3]).to_numpy(), "must be 1, 2 or 3")
    typed["geo_precision"] = gp.where(gp.isin([1, 2, 3])).astype("Int64")
    typed["precision_km"] = check_number(raw, "precision_km", integer=False, out=out)
    typed["country"] = check_country(raw, out)
    wrong_place, why = country_problems(lon, lat, typed["country"].array)
    out.add("geometry", wrong_place & ~out.by_field.get("country", np.zeros(len(raw), dtype=bool)),
            pd.Series(why, dtype=object))
    typed["sources"] = check_sources(raw, out, normalised, coded)
    typed["coord_source"] = check_coord_source(raw, out)
    typed["event_type"] = text_column(raw, "event_type", coded=coded)
    typed["sub_event_type"] = text_column(raw, "sub_event_type", coded=coded)
    check_acled(typed["event_type"], typed["sub_event_type"], out)
    for f in FIELDS:
        if f.name not in typed:
            typed[f.name] = text_column(raw, f.name, normalised, coded)
        if f.required:
            blank = typed[f.name].isna().to_numpy()
            already = out.by_field.get(f.name, np.zeros(len(raw), dtype=bool))
            out.add(f.name, blank & ~already, "missing (required property)")
    if not ids_unique:
        out.add("event_id", duplicated(typed["event_id"]), "duplicate event_id")
    for name in CATEGORY_COLUMNS:
        if not isinstance(typed[name].dtype, pd.CategoricalDtype):
            typed[name] = typed[name].astype("category")
    extra = [c for c in raw.columns if c not in COLUMNS and c != "geometry"]
    frame = pd.DataFrame({name: typed[name] for name in COLUMNS}, index=raw.index, copy=False)  # (no 2nd copy)
    for c in extra:
        frame[c] = raw[c]
    events = gpd.GeoDataFrame(frame, geometry=geom.set_axis(raw.index), crs=CRS)
    return Checked(events, out.found, out.bad)
