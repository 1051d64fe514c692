"""The ``sources`` column: one JSON list of {publisher, url, date, title} per event, built column-wise with polars."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pandas as pd
import polars as pl
import numpy as np

from geo.ingest.common import coded_text


def sources_json(publishers: pl.Series, *, sep: str, date: pl.Series | None = None,
                 url: pl.Series | None = None, title: pl.Series | None = None) -> np.ndarray:
    """JSON ``sources`` text for each row: one {publisher, url, date, title} per ``sep``-separated publisher.

    Built with polars list operations, so a million rows cost one pass.
    """
    return _sources(publishers, sep=sep, date=date, url=url, title=title).to_numpy()


def sources_text(publishers: pl.Series | pd.Series, *, sep: str, date: pl.Series | pd.Series | None = None,
                 coded: bool = False) -> pd.Series:
    """``sources_json`` as a pandas text column (no Python string per row), for readers without urls or titles.

    Built a slice of rows at a time: polars keeps the memory of its intermediates, so slices bound the peak.
    Pandas text columns are taken as they are (arrow), converted to polars only when pairs do not repeat. With
    ``coded`` the result is a categorical where pairs repeat (the check reads each distinct text once).
    """
    n, step = len(publishers), 1 << 17
    date = date if date is not None else pl.Series([None] * n, dtype=pl.String)
    paired = _by_pair(publishers, date, sep, coded=coded)
    if paired is not None:
        return paired
    publishers, date = _polars(publishers), _polars(date)
    chunks = [_sources(publishers.slice(i, step), sep=sep, date=date.slice(i, step)).to_arrow()
              .cast(pa.large_string()) for i in range(0, n, step)]
    if not chunks:
        return pd.Series(pd.array([], dtype="str"))
    return pd.Series(pd.array(pa.chunked_array(chunks), dtype="str"))


def _by_pair(publishers: pl.Series | pd.Series, date: pl.Series | pd.Series, sep: str, *, coded: bool = False
             ) -> pd.Series | None:
    """``sources_text`` when (publisher list, date) pairs repeat (ACLED: a few sources a day): the JSON of each
    distinct pair is built once and spread to its rows by code. None when most pairs are distinct."""
    n = len(publishers)
    pub_codes, pubs = _encoded(publishers)
    date_codes, dates = _encoded(date)
    width = len(dates) + 1
    codes, pairs = pd.factorize((pub_codes + 1) * width + (date_codes + 1))
    if not n or len(pairs) > n // 2:
        return None
    pub_at, date_at = pairs // width - 1, pairs % width - 1
    text = _sources(pl.Series("p", pubs.take(pa.array(pub_at, mask=pub_at < 0)), dtype=pl.String), sep=sep,
                    date=pl.Series("d", dates.take(pa.array(date_at, mask=date_at < 0)), dtype=pl.String))
    if coded:
        return coded_text(codes, text.to_arrow().cast(pa.large_string()), pd.RangeIndex(n))
    return pd.Series(pd.array(text.to_arrow().cast(pa.large_string()).take(pa.array(codes)), dtype="str"))


def _polars(values: pl.Series | pd.Series) -> pl.Series:
    if isinstance(values, pl.Series):
        return values
    return pl.from_pandas(values.astype("str").where(values.notna()))


def _encoded(values: pl.Series | pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Row codes (-1 where missing) and distinct values of a text column."""
    if isinstance(values, pl.Series):
        arr = values.cast(pl.String).to_arrow().cast(pa.large_string())
    elif isinstance(values.dtype, pd.CategoricalDtype):  # (already encoded: its codes and categories)
        return (values.cat.codes.to_numpy().astype(np.int64),
                pa.array(values.cat.categories.astype("str").array).cast(pa.large_string()))
    else:
        arr = pa.array(values.astype("str").array).cast(pa.large_string())  # (no copy of arrow-backed text)
    encoded = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
    return pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


#: Stand-in date of the per-publisher-list templates (see ``_sources``).
_DATE_MARK = "@"


def _sources(publishers: pl.Series, *, sep: str, date: pl.Series | None = None,
             url: pl.Series | None = None, title: pl.Series | None = None) -> pl.Series:
    """The JSON text of ``sources_json`` as a polars column."""
    n = len(publishers)
    if url is None and title is None and n:
        # Few distinct publisher lists (ACLED's "Reuters; Shafaq News"): encode each once with a stand-in date,
        # then put each row's date in. '"date":"@"' cannot occur inside a JSON string (its quotes are bare).
        arr = publishers.cast(pl.String).to_arrow().cast(pa.large_string())
        encoded = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
        lists = pl.Series("p", encoded.dictionary, dtype=pl.String)
        templates = _sources_rows(lists, sep=sep, date=pl.Series([_DATE_MARK] * len(lists), dtype=pl.String))
        per_row = pl.Series("t", templates.to_arrow().take(encoded.indices), dtype=pl.String).fill_null("[]")
        dates = date.cast(pl.String) if date is not None else pl.Series([None] * n, dtype=pl.String)
        date_json = pl.DataFrame({"date": dates}).select(pl.struct("date").struct.json_encode().str.slice(1))
        frame = pl.DataFrame({"t": per_row, "d": date_json.to_series().str.head(-1)})
        mark = f'"date":"{_DATE_MARK}"'
        return frame.select(pl.col("t").str.replace_all(mark, pl.col("d"), literal=True)).to_series()
    return _sources_rows(publishers, sep=sep, date=date, url=url, title=title)


def _sources_rows(publishers: pl.Series, *, sep: str, date: pl.Series | None = None,
                  url: pl.Series | None = None, title: pl.Series | None = None) -> pl.Series:
    """One JSON list per row, built entry by entry (the general case: urls and titles differ per row)."""
    n = len(publishers)
    none = pl.Series([None] * n, dtype=pl.String)
    frame = pl.DataFrame({
        "p": publishers.cast(pl.String).str.split(sep),
        "date": date if date is not None else none,
        "url": url if url is not None else none,
        "title": title if title is not None else none,
    })
    entries = frame.with_row_index("row").explode("p").with_columns(pl.col("p").str.strip_chars())
    entries = entries.filter(pl.col("p").is_not_null() & (pl.col("p") != ""))
    encoded = entries.select(
        "row", pl.struct(publisher="p", url="url", date="date", title="title").struct.json_encode().alias("j"))
    joined = encoded.group_by("row", maintain_order=True).agg(pl.col("j").str.join(","))
    out = pl.DataFrame({"row": pl.arange(0, n, eager=True, dtype=pl.UInt32)}).join(
        joined, on="row", how="left", maintain_order="left")
    return "[" + out["j"].fill_null("") + "]"
