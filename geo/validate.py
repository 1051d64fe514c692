"""Vectorised validation: raw columns in, typed events plus every problem (feature, field, reason) out.

Each check works on a whole column at once and yields a boolean mask of bad rows; only the bad rows are then
turned into ``Problem`` records, so a clean million-row file costs a few column operations.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import Problem
from geo.placecheck import country_problems
from geo.schema import (
    ACLED_EVENT_TYPES,
    CATEGORY_COLUMNS,
    COLUMNS,
    COORD_SOURCE_KEYS,
    CRS,
    FIELDS,
    SOURCE_KEYS,
    VOCAB_DTYPES,
    known_countries,
)

_SOURCES_DTYPE = pl.List(pl.Struct({k: pl.String for k in SOURCE_KEYS}))
_COORD_DTYPE = pl.Struct({k: pl.String for k in COORD_SOURCE_KEYS})
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass
class Checked:
    """Result of ``check``: typed events (all rows), the problems, and which rows have any."""

    events: gpd.GeoDataFrame
    found: Found
    bad: np.ndarray

    @property
    def problems(self) -> list[Problem]:
        """Every problem as a ``Problem`` (made on first use: a reader takes ``found``'s arrays instead)."""
        return self.found.problems()

    @property
    def valid(self) -> gpd.GeoDataFrame:
        """Only the rows without problems."""
        return self.events[~self.bad]


class Found:
    """The problems of a check as arrays (row, field, reason), in the order they were found."""

    def __init__(self, ids: pd.Series | None) -> None:
        self.ids = ids
        self.parts: list[tuple[np.ndarray, str, np.ndarray]] = []
        self._made: list[Problem] | None = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row index, field, reason) of every problem."""
        if not self.parts:
            return np.array([], dtype=np.intp), np.array([], dtype=object), np.array([], dtype=object)
        rows = np.concatenate([r for r, _, _ in self.parts])
        fields = np.concatenate([np.full(len(r), f, dtype=object) for r, f, _ in self.parts])
        reasons = np.concatenate([w for _, _, w in self.parts])
        return rows, fields, reasons

    def problems(self) -> list[Problem]:
        if self._made is None:
            rows, fields, reasons = self.arrays()
            ids = (self.ids.iloc[rows].to_numpy(dtype=object) if self.ids is not None
                   else np.full(len(rows), None, dtype=object))
            self._made = [Problem(_label(i, ident), f, r) for i, ident, f, r in zip(rows, ids, fields, reasons)]
        return self._made


def _label(i: int, ident: object) -> str:
    """'features[3] (id-of-event)': the index as in the file, plus the id when there is one."""
    return f"features[{i}] ({ident})" if isinstance(ident, str) and ident.strip() else f"features[{i}]"


class _Collector:
    """Gathers bad-row masks per field; the problems are kept as arrays of the bad rows only."""

    def __init__(self, raw: pd.DataFrame) -> None:
        self.found = Found(raw["event_id"] if "event_id" in raw else None)
        self.bad = np.zeros(len(raw), dtype=bool)
        self.by_field: dict[str, np.ndarray] = {}

    def add(self, field: str, mask: np.ndarray | pd.Series, reason: str | pd.Series) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        self.by_field[field] = self.by_field.get(field, np.zeros_like(mask)) | mask
        rows = np.flatnonzero(mask)  # reasons are kept for bad rows only: a clean file costs nothing here
        reasons = (np.full(len(rows), reason, dtype=object) if isinstance(reason, str)
                   else np.asarray(reason, dtype=object)[rows])
        self.found.parts.append((rows, field, reasons))


def _factorize(raw: pd.DataFrame, name: str) -> tuple[np.ndarray, pd.Index]:
    """Codes and distinct stripped values of a column: vocabularies have few values, so check those only."""
    if name not in raw:
        return np.full(len(raw), -1, dtype=np.intp), pd.Index([], dtype="str")
    codes, uniques = pd.factorize(raw[name], use_na_sentinel=True)
    texts = pd.Index(uniques).astype("str").str.strip()
    return codes, texts


def to_float(col: pd.Series) -> np.ndarray:
    """``pd.to_numeric(col, errors="coerce")`` as float64, ~10x faster on text columns.

    Text is parsed by polars; only the values it cannot read (padded with spaces, say) go through pandas, so the
    result is pandas' own. A categorical column is parsed once per category.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        per_value = to_float(pd.Series(col.cat.categories))
        return np.append(per_value, np.nan)[col.cat.codes.to_numpy()]
    if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        parsed = pl.Series("n", pa.array(col.array), dtype=pl.String).cast(pl.Float64, strict=False)
        values = parsed.to_numpy()
        retry = np.flatnonzero(parsed.is_null().to_numpy() & col.notna().to_numpy())
        if len(retry):
            values[retry] = pd.to_numeric(col.iloc[retry], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return values
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _chunked(col: pd.Series) -> pa.ChunkedArray:
    """A text column as arrow (no copy for arrow-backed text), always chunked so two compare alike."""
    arr = pa.array(col.array)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _text(raw: pd.DataFrame, name: str, normalised: Collection[str] = (), coded: Collection[str] = ()) -> pd.Series:
    if name not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="str")
    col = raw[name]
    if name in normalised and isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        return col  # (its reader made it so: see ``check``)
    if isinstance(col.dtype, pd.CategoricalDtype):
        # each distinct value is normalised once, then spread by the codes: not a million strings stripped
        values = _normalised(pd.Series(col.cat.categories, dtype=object).astype("str"))
        if name in coded:  # (left categorical: see ``check``)
            return _recoded(col, values)
        return pd.Series(values.array.take(col.cat.codes.to_numpy(), allow_fill=True), index=col.index, name=col.name)
    return _normalised(col)


def _recoded(col: pd.Series, values: pd.Series) -> pd.Series:
    """A categorical with its categories replaced by ``values`` (normalised: some may now be alike, or missing)."""
    if values.notna().all() and values.is_unique:
        if values.equals(pd.Series(col.cat.categories, dtype=values.dtype)):
            return col
        return col.cat.rename_categories(pd.Index(values, dtype="str"))
    position, distinct = pd.factorize(values, use_na_sentinel=True)
    codes = np.append(position, -1)[col.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype="str")), index=col.index,
                     name=col.name)


def _normalised(col: pd.Series) -> pd.Series:
    """Text stripped, with one kind of line break, and empty cells as missing."""
    text = col.astype("str")
    missing = col.isna().to_numpy()
    if not np.array_equal(text.isna().to_numpy(), missing):  # (a copy only when astype wrote text for a gap)
        text = text.where(~missing)
    if missing.all():
        return text  # (a column without any value: nothing to strip)
    # the raw bytes say whether any cell may need stripping or holds a CR: most columns need neither (no copy)
    checks = [needs_work(c) for c in _chunked(text).chunks]
    trim, cr = any(t for t, _ in checks), any(c for _, c in checks)
    if trim:
        stripped = text.str.strip()
        if not _chunked(stripped).equals(_chunked(text)):
            text = stripped  # else keep the column itself: the events then share its memory, no second copy
        del stripped
    if cr:
        # Old Mac line ends (lone CR) split CSV rows in some readers: keep one kind of line break.
        text = text.str.replace("\r\n?", "\n", regex=True)
    if not trim:
        return text
    empty = (text == "").fillna(False).to_numpy(dtype=bool)
    return text.where(~empty) if empty.any() else text  # an empty cell means "not given", as in CSV files


_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_SPACE[128:] = True  # a multi-byte character may be Unicode white space (U+00A0...): look closer


def needs_work(chunk: pa.Array) -> tuple[bool, bool]:
    """(may have white space at either end or be empty, has a CR) of an arrow text array, from its raw buffers:
    no copy, no regex."""
    if len(chunk) == 0:
        return False, False
    _, offsets, data = chunk.buffers()
    if data is None:
        return False, False
    width = 8 if pa.types.is_large_string(chunk.type) else 4
    starts = np.frombuffer(offsets, dtype=np.int64 if width == 8 else np.int32, count=len(chunk) + 1,
                           offset=chunk.offset * width)
    body = np.frombuffer(data, dtype=np.uint8)
    lengths = np.diff(starts)
    valid = ~np.asarray(chunk.is_null(), dtype=bool) if chunk.null_count else np.ones(len(chunk), dtype=bool)
    filled = valid & (lengths > 0)
    ends = _SPACE[body[starts[:-1][filled]]].any() or _SPACE[body[starts[1:][filled] - 1]].any()
    empty = bool((valid & (lengths == 0)).any())
    return bool(ends or empty), bool((body[starts[0]:starts[-1]] == 13).any())


def _blank(s: pd.Series) -> np.ndarray:
    return (s.isna() | (s == "")).to_numpy()


def _check_geometry(geom: gpd.GeoSeries, out: _Collector, points: tuple[np.ndarray, np.ndarray] | None = None
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


def _check_dates(raw: pd.DataFrame, out: _Collector, normalised: Collection[str] = ()) -> dict[str, pd.Series]:
    parsed: dict[str, pd.Series] = {}
    for name in ("date", "date_end"):
        if name in raw and pd.api.types.is_datetime64_dtype(raw[name].dtype):  # typed by a reader: nothing to parse
            parsed[name] = raw[name].astype("datetime64[ms]")
            continue
        raw_text = _text(raw, name, normalised)
        text = raw_text.str.slice(0, 10).where(lambda s: s.str.match(_ISO_DATE).fillna(False))
        dt = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ms]")
        bad = (~_blank(raw_text)) & dt.isna().to_numpy()
        out.add(name, bad, "not a date: expected YYYY-MM-DD (e.g. 2021-07-05)")
        parsed[name] = dt
    start, end = parsed["date"], parsed["date_end"]
    out.add("date_end", (end < start).fillna(False).to_numpy(), "is before date")
    return parsed


def _check_vocab(raw: pd.DataFrame, name: str, dtype: pd.CategoricalDtype, out: _Collector) -> pd.Categorical:
    vocab = list(dtype.categories)
    codes, texts = _factorize(raw, name)
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


def _check_number(raw: pd.DataFrame, name: str, *, integer: bool, out: _Collector) -> pd.Series:
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


def _distinct(text: pd.Series) -> tuple[np.ndarray, pl.Series]:
    """Row codes (-1 where missing) and the distinct values of a text column.

    JSON columns often repeat (an import gives every row of a day the same sources), so they are decoded once per
    distinct text. A column of mostly distinct values (counted on hashes, which is cheap) skips the grouping.
    """
    arr = pa.array(text.array, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    series = pl.Series("s", arr, dtype=pl.String)
    if series.hash().n_unique() > len(series) // 2:
        codes = np.arange(len(series), dtype=np.intp)
        codes[series.is_null().to_numpy()] = -1
        return codes, series
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    return codes, pl.Series("s", encoded.dictionary, dtype=pl.String)


def _rows(per_distinct: np.ndarray | pl.Series, codes: np.ndarray, *, missing: bool = False) -> np.ndarray:
    """A per-distinct-value boolean spread to the rows; rows without a value get ``missing``."""
    values = np.asarray(per_distinct, dtype=bool)
    return np.append(values, missing)[codes]


def _as_rows(text: pd.Series, codes: np.ndarray, distinct: pl.Series, normal: pl.Series,
             missing: str | None = None) -> pd.Series:
    """Each row's normalised text (``missing`` where it has none): the column itself when nothing changes."""
    if (missing is None or codes.min(initial=0) >= 0) and bool(normal.eq_missing(distinct).all()):
        return text  # the common case (files our writers produced): no million-string copy
    values = normal.to_arrow()
    if missing is not None:
        values = pa.concat_arrays([values.cast(pa.large_string()), pa.array([missing], pa.large_string())])
        codes = np.where(codes < 0, len(normal), codes)
    taken = values.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="str"), index=text.index)


#: Distinct JSON texts decoded per slice: decoding takes ~1 KB per text, so a slice bounds the peak memory.
_SLICE = 1 << 16


def _check_sources(raw: pd.DataFrame, out: _Collector, normalised: Collection[str] = (),
                   coded: Collection[str] = ()) -> pd.Series:
    text = _text(raw, "sources", normalised, coded)
    if "sources" in raw and isinstance(raw["sources"].dtype, pd.CategoricalDtype):  # (its own distinct values)
        col = raw["sources"]
        codes = col.cat.codes.to_numpy().astype(np.intp)
        values = _normalised(pd.Series(col.cat.categories, dtype=object).astype("str"))
        series = pl.Series("s", pa.array(values.array, type=pa.large_string()), dtype=pl.String)
    else:
        codes, series = _distinct(text)
    n = len(series)
    bad_json, empty = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    no_pub, bad_url = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    normal: list[pl.Series] = []
    changed = False
    for start in range(0, n, _SLICE):
        part = series.slice(start, _SLICE)
        try:
            decoded = part.str.json_decode(_SOURCES_DTYPE)
        except pl.exceptions.PolarsError:
            decoded = pl.Series("sources", [_decode_one(t) for t in part], dtype=_SOURCES_DTYPE)
            bad_json[start:start + len(part)] = (decoded.is_null() & part.is_not_null()).to_numpy()
        empty[start:start + len(part)] = (decoded.list.len().fill_null(0) == 0).to_numpy()
        entries = pl.DataFrame({"s": decoded}).with_row_index("row").explode("s").drop_nulls("s").unnest("s")
        publisher, url = pl.col("publisher").fill_null("").str.strip_chars(), pl.col("url")
        no_pub[start + entries.filter(publisher == "")["row"].unique().to_numpy()] = True
        bad = entries.filter(url.is_not_null() & ~url.str.contains(r"(?i)^https?://\S+$"))["row"].unique()
        bad_url[start + bad.to_numpy()] = True
        del entries
        encoded = "[" + decoded.list.eval(pl.element().struct.json_encode()).list.join(",") + "]"
        same = bool(encoded.eq_missing(part).all())
        changed |= not same
        normal.append(part if same else encoded)  # keep the text itself where nothing changed (no copy)
    out.add("sources", _rows(bad_json, codes), "not a JSON list of {publisher, url, date, title} objects")
    empty = _rows(empty, codes, missing=True)
    out.add("sources", empty, "needs at least one source {publisher, url, date, title}")
    out.add("sources", _rows(no_pub, codes) & ~empty, "a source has no publisher")
    out.add("sources", _rows(bad_url, codes), "a source url is not an http(s) address")
    if not changed:
        return text  # the common case (files our writers produced): no million-string copy
    return _as_rows(text, codes, series, pl.concat(normal) if normal else series)


def _check_coord_source(raw: pd.DataFrame, out: _Collector) -> pd.Series:
    text = _text(raw, "coord_source")
    codes, series = _distinct(text)
    try:
        decoded = series.str.json_decode(_COORD_DTYPE)
    except pl.exceptions.PolarsError:
        ok = np.array([_decode_one(f"[{t}]") is not None for t in series], dtype=bool)
        out.add("coord_source", ~_rows(ok, codes, missing=True), "not a JSON object {publisher, url, title, note}")
        return text.where(_rows(ok, codes, missing=True))
    url = decoded.struct.field("url")
    bad = (url.is_not_null() & ~url.str.contains(r"(?i)^https?://\S+$")).fill_null(False).to_numpy()
    out.add("coord_source", _rows(bad, codes), "url is not an http(s) address")
    return _as_rows(text, codes, series, decoded.struct.json_encode())  # a row without one stays missing


def _decode_one(text: str | None) -> list[dict] | None:
    """Slow path, only after the fast decode failed: find which rows are malformed."""
    import orjson

    if text is None:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return None
    return [{k: (None if v.get(k) is None else str(v.get(k))) for k in SOURCE_KEYS} for v in value]


def _check_country(raw: pd.DataFrame, out: _Collector) -> pd.Series:
    codes, texts = _factorize(raw, "country")
    upper = texts.str.upper()
    unknown = np.asarray(~upper.isin(known_countries()) & (upper != ""), dtype=bool)
    known = pd.Index(sorted(set(upper[~unknown & (upper != "")])), dtype="str")
    position = known.get_indexer(upper)
    # a column without any value has no distinct values: index those arrays only where a row has one
    unknown = np.append(unknown, False)
    position = np.append(position, -1)
    out.add("country", unknown[codes], "not an ISO 3166-1 alpha-3 country code (e.g. IRQ, SYR)")
    return pd.Series(pd.Categorical.from_codes(position[codes], categories=known), index=raw.index)


def _check_acled(et: pd.Series, sub: pd.Series, out: _Collector) -> None:
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


def _duplicated(ids: pd.Series) -> np.ndarray:
    """Rows whose id another row also has (missing ids are not duplicates); counting the distinct ids first (a
    hash per row) answers the usual case, no duplicate at all, at a third of the cost of marking them."""
    if isinstance(ids.dtype, pd.StringDtype) and ids.dtype.storage == "pyarrow":
        given = pl.Series("id", pa.array(ids.array), dtype=pl.String)
        if given.drop_nulls().n_unique() == len(given) - given.null_count():
            return np.zeros(len(ids), dtype=bool)
    return (ids.notna() & ids.duplicated(keep=False)).to_numpy()


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
    out = _Collector(raw)
    geom = gpd.GeoSeries(np.asarray(geometry, dtype=object), crs=CRS)
    lon, lat = _check_geometry(geom, out, points)
    for f in FIELDS:
        if f.required and f.name not in raw:
            out.add(f.name, np.ones(len(raw), dtype=bool), "missing (required property)")
    typed: dict[str, pd.Series] = {}
    typed.update(_check_dates(raw, out, normalised))
    for name, dtype in VOCAB_DTYPES.items():
        typed[name] = pd.Series(_check_vocab(raw, name, dtype, out), index=raw.index)
    typed["fatalities"] = _check_number(raw, "fatalities", integer=True, out=out).round().astype("Int64")
    gp = _check_number(raw, "geo_precision", integer=True, out=out)
    out.add("geo_precision", gp.notna().to_numpy() & ~gp.isin([1, 2, 3]).to_numpy(), "must be 1, 2 or 3")
    typed["geo_precision"] = gp.where(gp.isin([1, 2, 3])).astype("Int64")
    typed["precision_km"] = _check_number(raw, "precision_km", integer=False, out=out)
    typed["country"] = _check_country(raw, out)
    wrong_place, why = country_problems(lon, lat, typed["country"].array)
    out.add("geometry", wrong_place & ~out.by_field.get("country", np.zeros(len(raw), dtype=bool)),
            pd.Series(why, dtype=object))
    typed["sources"] = _check_sources(raw, out, normalised, coded)
    typed["coord_source"] = _check_coord_source(raw, out)
    typed["event_type"] = _text(raw, "event_type", coded=coded)
    typed["sub_event_type"] = _text(raw, "sub_event_type", coded=coded)
    _check_acled(typed["event_type"], typed["sub_event_type"], out)
    for f in FIELDS:
        if f.name not in typed:
            typed[f.name] = _text(raw, f.name, normalised, coded)
        if f.required:
            blank = typed[f.name].isna().to_numpy()
            already = out.by_field.get(f.name, np.zeros(len(raw), dtype=bool))
            out.add(f.name, blank & ~already, "missing (required property)")
    if not ids_unique:
        out.add("event_id", _duplicated(typed["event_id"]), "duplicate event_id")
    for name in CATEGORY_COLUMNS:
        if not isinstance(typed[name].dtype, pd.CategoricalDtype):
            typed[name] = typed[name].astype("category")
    extra = [c for c in raw.columns if c not in COLUMNS and c != "geometry"]
    frame = pd.DataFrame({name: typed[name] for name in COLUMNS}, index=raw.index, copy=False)  # (no 2nd copy)
    for c in extra:
        frame[c] = raw[c]
    events = gpd.GeoDataFrame(frame, geometry=geom.set_axis(raw.index), crs=CRS)
    return Checked(events, out.found, out.bad)

