"""Checks of the JSON columns: ``sources`` (a list of {publisher, url, date, title}) and ``coord_source``."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from geo.schema import COORD_SOURCE_KEYS, SOURCE_KEYS
from geo.validate.found import Collector
from geo.validate.text import as_rows, distinct, normalised_text, spread, text_column

_SOURCES_DTYPE = pl.List(pl.Struct({k: pl.String for k in SOURCE_KEYS}))
_COORD_DTYPE = pl.Struct({k: pl.String for k in COORD_SOURCE_KEYS})

#: Distinct JSON texts decoded per slice: decoding takes ~1 KB per text, so a slice bounds the peak memory.
_SLICE = 1 << 16


def check_sources(raw: pd.DataFrame, out: Collector, normalised: Collection[str] = (),
                   coded: Collection[str] = ()) -> pd.Series:
    text = text_column(raw, "sources", normalised, coded)
    if "sources" in raw and isinstance(raw["sources"].dtype, pd.CategoricalDtype):  # (its own distinct values)
        col = raw["sources"]
        codes = col.cat.codes.to_numpy().astype(np.intp)
        values = normalised_text(pd.Series(col.cat.categories, dtype=object).astype("str"))
        series = pl.Series("s", pa.array(values.array, type=pa.large_string()), dtype=pl.String)
    else:
        codes, series = distinct(text)
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
    out.add("sources", spread(bad_json, codes), "not a JSON list of {publisher, url, date, title} objects")
    empty = spread(empty, codes, missing=True)
    out.add("sources", empty, "needs at least one source {publisher, url, date, title}")
    out.add("sources", spread(no_pub, codes) & ~empty, "a source has no publisher")
    out.add("sources", spread(bad_url, codes), "a source url is not an http(s) address")
    if not changed:
        return text  # the common case (files our writers produced): no million-string copy
    return as_rows(text, codes, series, pl.concat(normal) if normal else series)


def check_coord_source(raw: pd.DataFrame, out: Collector) -> pd.Series:
    text = text_column(raw, "coord_source")
    codes, series = distinct(text)
    try:
        decoded = series.str.json_decode(_COORD_DTYPE)
    except pl.exceptions.PolarsError:
        ok = np.array([_decode_one(f"[{t}]") is not None for t in series], dtype=bool)
        out.add("coord_source", ~spread(ok, codes, missing=True), "not a JSON object {publisher, url, title, note}")
        return text.where(spread(ok, codes, missing=True))
    url = decoded.struct.field("url")
    bad = (url.is_not_null() & ~url.str.contains(r"(?i)^https?://\S+$")).fill_null(False).to_numpy()
    out.add("coord_source", spread(bad, codes), "url is not an http(s) address")
    return as_rows(text, codes, series, decoded.struct.json_encode())  # a row without one stays missing


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
