"""Checks of single fields: geometry, dates, vocabularies, numbers, countries, ACLED types and ids.

Each takes whole columns and adds a boolean mask of bad rows to the collector."""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import shapely

from geo.schema import ACLED_EVENT_TYPES, known_countries
from geo.validate.found import Collector
from geo.validate.text import factorize, is_blank, text_column, to_float

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def check_geometry(geom: gpd.GeoSeries, out: Collector, points: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(geom.array if hasattr(geom, "array") else geom, dtype=object)
    if points is not None:  # made by geo.ingest.common.points from these columns: read no geometry back
        lon, lat = points
        missing = np.isnan(lon) | np.isnan(lat)
        not_point = np.zeros(len(values), dtype=bool)
    else:
        missing = shapely.is_missing(values) | shapely.is_empty(values)
        not_point = ~missing & (shapely.get_type_id(values) != 0)
    out.add("geometry", missing, "missing, or coordinates that are not two numbers [lon, lat]")
    out.add("geometry", not_point, "is not a Point: events are points (give the place's centre and a precision_km)")
    ok = ~missing & ~not_point
    x = np.full(len(values), np.nan)
    y = np.full(len(values), np.nan)
    if points is not None:  # (the points hold these numbers as nan_to_num wrote them: infinities as +-1.8e308)
        x[ok], y[ok] = np.nan_to_num(points[0][ok], nan=0.0), np.nan_to_num(points[1][ok], nan=0.0)
    else:
        x[ok] = shapely.get_x(values[ok])
        y[ok] = shapely.get_y(values[ok])
    nonfinite = ok & ~(np.isfinite(x) & np.isfinite(y))
    out.add("geometry", nonfinite, "coordinates are not finite numbers")
    fin = ok & ~nonfinite
    in_range = (np.abs(x) <= 180) & (np.abs(y) <= 90)
    swapped = fin & ~in_range & (np.abs(y) <= 180) & (np.abs(x) <= 90)
    out.add("geometry", swapped, "latitude out of range: coordinates look swapped (GeoJSON order is [lon, lat])")
    out.add("geometry", fin & ~in_range & ~swapped, "coordinates out of range (lon -180..180, lat -90..90)")
    good = fin & in_range
    return np.where(good, x, np.nan), np.where(good, y, np.nan)  # lon/lat of the valid points, NaN elsewhere


def check_dates(raw: pd.DataFrame, out: Collector, normalised: Collection[str] = ()) -> dict[str, pd.Series]:
    parsed: dict[str, pd.Series] = {}
    for name in ("date", "date_end"):
        if name in raw and pd.api.types.is_datetime64_dtype(raw[name].dtype):  # typed by a reader: nothing to parse
            parsed[name] = raw[name].astype("datetime64[ms]")
            continue
        raw_text = text_column(raw, name, normalised)
        text = raw_text.str.slice(0, 10).where(lambda s: s.str.match(_ISO_DATE).fillna(False))
        dt = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ms]")
        bad = (~is_blank(raw_text)) & dt.isna().to_numpy()
        out.add(name, bad, "not a date: expected YYYY-MM-DD (e.g. 2021-07-05)")
        parsed[name] = dt
    start, end = parsed["date"], parsed["date_end"]
    out.add("date_end", (end < start).fillna(False).to_numpy(), "is before date")
    return parsed


def check_vocab(raw: pd.DataFrame, name: str, dtype: pd.CategoricalDtype, out: Collector) -> pd.Categorical:
    vocab = list(dtype.categories)
    codes, texts = factorize(raw, name)
    normal = texts.str.lower().str.replace(r"[\s\-]+", "_", regex=True)  # "Ballistic missile" -> ballistic_missile
    position = pd.Index(vocab).get_indexer(normal)
    blank = np.asarray(texts == "")
    row_code = np.where(codes >= 0, position[codes], -1) if len(texts) else codes
    bad_unique = (position < 0) & ~blank
    bad = (codes >= 0) & bad_unique[codes] if len(texts) else np.zeros(len(raw), dtype=bool)
    if bad.any():
        reasons = np.array([f"unknown value '{t}'; expected one of: {', '.join(vocab)}" for t in texts], dtype=object)
        out.add(name, bad, pd.Series(reasons[np.maximum(codes, 0)]))
    return pd.Categorical.from_codes(row_code, dtype=dtype)


#: Largest plausible values: a bigger one is a typo or a unit error (and 1e30 fatalities overflow an integer).
_LIMITS = {"fatalities": 1_000_000, "precision_km": 20_000}


def check_number(raw: pd.DataFrame, name: str, *, integer: bool, out: Collector) -> pd.Series:
    # an absent column is all-missing (NaN: a float64 Series cannot hold pd.NA)
    col = raw[name] if name in raw else pd.Series(np.nan, index=raw.index, dtype="float64")
    num = pd.Series(to_float(col), index=raw.index)
    given = col.notna().to_numpy()
    if not pd.api.types.is_numeric_dtype(col.dtype):  # only text can be blank; numbers skip the string copy
        given = given & ~(col.astype("str").str.strip() == "").fillna(False).to_numpy(dtype=bool)
    out.add(name, given & num.isna().to_numpy(), "not a number")
    ok = num.notna().to_numpy()
    out.add(name, ok & ~np.isfinite(num.to_numpy()), "not a finite number")
    out.add(name, ok & (num.to_numpy() < 0), "must not be negative")
    finite = ok & np.isfinite(num.to_numpy())
    limit = _LIMITS.get(name)
    if limit is not None:
        out.add(name, finite & (num.to_numpy() > limit), f"larger than {limit:,}: a typo or a unit error?")
    if integer:
        frac = finite & (np.mod(num.to_numpy(), 1, where=finite, out=np.zeros(len(num))) != 0)
        out.add(name, frac, "must be a whole number")
    # what cannot be a value (infinite, huge, negative) is kept as missing: the row is reported, typing never fails
    return num.where(finite & (num.to_numpy() >= 0) & (num.to_numpy() <= (limit or np.inf)))


def check_country(raw: pd.DataFrame, out: Collector) -> pd.Series:
    codes, texts = factorize(raw, "country")
    upper = texts.str.upper()
    unknown = np.asarray(~upper.isin(known_countries()) & (upper != ""), dtype=bool)
    known = pd.Index(sorted(set(upper[~unknown & (upper != "")])), dtype="str")
    position = known.get_indexer(upper)
    # a column without any value has no distinct values: index those arrays only where a row has one
    unknown = np.append(unknown, False)
    position = np.append(position, -1)
    out.add("country", unknown[codes], "not an ISO 3166-1 alpha-3 country code (e.g. IRQ, SYR)")
    return pd.Series(pd.Categorical.from_codes(position[codes], categories=known), index=raw.index)


def check_acled(et: pd.Series, sub: pd.Series, out: Collector) -> None:
    pairs = {(t, s) for t, subs in ACLED_EVENT_TYPES.items() for s in subs}
    # each distinct type and sub-type is looked at once (position -1: a missing value), then spread by code
    et_codes, et_values = pd.factorize(et)
    sub_codes, sub_values = pd.factorize(sub)
    et_values, sub_values = pd.Index(et_values), pd.Index(sub_values)
    known = np.append(np.asarray(et_values.isin(ACLED_EVENT_TYPES), dtype=bool), False)[et_codes]
    et_given = np.append(np.asarray(et_values != "", dtype=bool), False)[et_codes]
    sub_given = np.append(np.asarray(sub_values != "", dtype=bool), False)[sub_codes]
    out.add("event_type", et_given & ~known, "not an ACLED event_type")
    # a table of ACLED's own (event_type, sub_event_type) pairs, indexed by each row's pair: no sort, no string
    types = list(ACLED_EVENT_TYPES)
    subs = list(dict.fromkeys(s for t in types for s in ACLED_EVENT_TYPES[t]))
    table = np.array([[(t, s) in pairs for s in subs] + [False] for t in types] + [[False] * (len(subs) + 1)])
    et_at = np.append(pd.Index(types).get_indexer(et_values), -1)[et_codes]  # (-1: not one of ACLED's)
    sub_at = np.append(pd.Index(subs).get_indexer(sub_values), -1)[sub_codes]
    ok = table[et_at, sub_at]
    out.add("sub_event_type", sub_given & known & ~ok, "not a sub_event_type of the given ACLED event_type")


def duplicated(ids: pd.Series) -> np.ndarray:
    """Rows whose id another row also has (missing ids are not duplicates); counting the distinct ids first (a
    hash per row) answers the usual case, no duplicate at all, at a third of the cost of marking them."""
    if isinstance(ids.dtype, pd.StringDtype) and ids.dtype.storage == "pyarrow":
        given = pl.Series("id", pa.array(ids.array), dtype=pl.String)
        if given.drop_nulls().n_unique() == len(given) - given.null_count():
            return np.zeros(len(ids), dtype=bool)
    return (ids.notna() & ids.duplicated(keep=False)).to_numpy()
