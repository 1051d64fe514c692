"""What every reader shares: the result type, the row report, and small column helpers.

A reader turns its source's columns into our raw columns (strings and numbers), then calls ``geo.ingest.finish``
which builds the points, validates them and turns every problem into a report row. Row numbers in the report are
spreadsheet row numbers: the header is row 1, the first record row 2 (files without a header: the first record is
row 1; GIS layers: feature numbers from 1).

Where the rest lives: ``text`` (delimited text), ``excel`` (XLSX), ``limits`` (bounds and archives), ``dates``
(per-file date formats), ``sources`` (the ``sources`` JSON), ``country`` (country codes and sizes), ``finish``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.errors import ReadError
from geo.validate import needs_work, to_float

REPORT_COLUMNS = ("row", "field", "reason")
#: Field name of report rows that were well-formed but outside what the reader was asked to take.
SCOPE = "scope"

Source = str | os.PathLike[str] | bytes | IO[bytes]


class IngestError(ReadError):
    """A file that cannot be imported at all (unreadable, or a required column is missing)."""


@dataclass
class Ingested:
    """Result of a reader: valid events in our schema, a row report of every row not taken, file-level notes."""

    events: gpd.GeoDataFrame
    report: pd.DataFrame
    fmt: str = ""
    notes: list[str] = field(default_factory=list)
    deletions: pd.DataFrame | None = None  # (dataset, source_id) pairs a source says are deleted (ACLED)

    @property
    def taken(self) -> int:
        return len(self.events)

    @property
    def rejected(self) -> int:
        return int(self.report.loc[self.report["field"] != SCOPE, "row"].nunique())

    @property
    def out_of_scope(self) -> int:
        return int(self.report.loc[self.report["field"] == SCOPE, "row"].nunique())

    def summary(self) -> str:
        parts = [f"{self.taken:,} events taken", f"{self.rejected:,} rows rejected"]
        if self.out_of_scope:
            parts.append(f"{self.out_of_scope:,} rows out of scope")
        return ", ".join(parts)


@dataclass
class Table:
    """Text columns read from a file, with each record's spreadsheet row and the rows not read."""

    frame: pd.DataFrame
    rows: np.ndarray
    report: pd.DataFrame
    notes: list[str]
    #: Excel's day zero for serial-number dates ('1899-12-30', or '1904-01-01' in a Mac workbook); None for text.
    excel_epoch: str | None = None
    #: The columns as read, when the reader asked for arrow (``frame`` is then empty): no pandas copy yet.
    arrow: pa.Table | None = None
    #: Every name of the file's header, read or not.
    header: list[str] = field(default_factory=list)

    def to_arrow(self) -> pa.Table:
        """The columns as an arrow table of text (converted once from ``frame`` when read as pandas)."""
        if self.arrow is None:
            self.arrow = pa.Table.from_pandas(self.frame.astype("str").where(self.frame.notna()),
                                              preserve_index=False)
        return self.arrow


def report_frame(rows: np.ndarray | list[int], field_: str | list[str] | np.ndarray,
                 reason: str | list[str] | np.ndarray | pa.Array) -> pd.DataFrame:
    """A report DataFrame (row, field, reason); scalars are broadcast, arrow text is taken as it is."""
    rows = np.asarray(rows, dtype="int64")
    n = len(rows)
    f = np.full(n, field_, dtype=object) if isinstance(field_, str) else np.asarray(field_, dtype=object)
    if isinstance(reason, (pa.Array, pa.ChunkedArray)):
        r = reason.cast(pa.large_string())
    else:
        r = np.full(n, reason, dtype=object) if isinstance(reason, str) else np.asarray(reason, dtype=object)
    return pd.DataFrame({"row": rows, "field": pd.array(f, dtype="str"), "reason": pd.array(r, dtype="str")})


def name_of(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return getattr(source, "name", None) or "<upload>"


def read_bytes(source: Source) -> bytes:
    """The whole source as bytes (files are read once)."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return source.read()


def normalise_headers(frame: pd.DataFrame, aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """Lower-case, stripped headers (old ACLED guides use upper case; a BOM may stick to the first).

    ``aliases`` renames old or truncated names to today's (an alias never replaces a column the file also has).
    """
    frame = frame.rename(columns=lambda c: c.replace("\ufeff", "").strip().lower())
    if aliases:
        present = set(frame.columns)
        frame = frame.rename(columns={a: c for a, c in aliases.items() if a in present and c not in present})
    return frame


def header_names(names: list[str], aliases: dict[str, str] | None = None) -> list[str]:
    """``normalise_headers`` for a list of names (an arrow table's)."""
    lowered = [str(c).replace("\ufeff", "").strip().lower() for c in names]
    present = set(lowered)
    rename = {a: c for a, c in (aliases or {}).items() if a in present and c not in present}
    return [rename.get(c, c) for c in lowered]


def require(frame: pd.DataFrame | list[str], needed: tuple[str, ...], name: str, what: str, hint: str = "") -> None:
    """IngestError naming the columns ``what`` needs and does not have, or has twice."""
    frame = list(frame.columns) if isinstance(frame, pd.DataFrame) else list(frame)
    missing = [c for c in needed if c not in frame]
    if missing:
        found = " (only one column was found: is the delimiter right?)" if len(frame) == 1 else ""
        raise IngestError(f"{name}: not {what}: missing column(s) {', '.join(missing)}{found}; "
                          f"{hint or 'the file needs them in its header row'}")
    doubled = [c for c in needed if f"{c}.1" in frame]
    if doubled:
        raise IngestError(f"{name}: column(s) {', '.join(doubled)} appear more than once in the header: "
                          f"rename or remove the copies so that each column has one name")


_STRING = pd.StringDtype("pyarrow", na_value=np.nan)


def clean_text(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Text as the validator normalises it: stripped, CR and CRLF as LF, empty as missing.

    The raw bytes are looked at first (numpy over arrow's buffers), so a column that needs nothing is returned as
    it is, without a copy: most columns of most files.
    """
    values = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    if pa.types.is_dictionary(values.type):
        return _clean_coded(values)
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    checks = [needs_work(c) for c in values.chunks]
    text = values
    if any(trim for trim, _ in checks):
        text = pc.utf8_trim_whitespace(values)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    if any(cr for _, cr in checks):
        text = pc.replace_substring_regex(text, r"\r\n?", "\n")
    return text


def _clean_coded(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``clean_text`` of a dictionary column, done on its dictionary: each distinct text is cleaned once, and texts
    that become alike (or empty, hence missing) share one code."""
    coded = _one_chunk(values)
    dictionary = coded.dictionary
    if not pa.types.is_string(dictionary.type) and not pa.types.is_large_string(dictionary.type):
        dictionary = dictionary.cast(pa.string())  # (an empty categorical's dictionary has no text type)
        coded = pa.DictionaryArray.from_arrays(coded.indices, dictionary)
    cleaned = clean_text(dictionary)
    if cleaned.equals(pa.chunked_array([dictionary])):
        return pa.chunked_array([coded])  # (the usual case: nothing to clean)
    encoded = pc.dictionary_encode(cleaned.combine_chunks())
    indices = encoded.indices.take(coded.indices).cast(coded.indices.type)
    return pa.chunked_array([pa.DictionaryArray.from_arrays(indices, encoded.dictionary.cast(dictionary.type))])


def _one_chunk(values: pa.ChunkedArray) -> pa.DictionaryArray:
    """A dictionary column as one array with one dictionary (chunks of a parse each have their own)."""
    if values.num_chunks == 1:
        return values.chunk(0)
    if values.num_chunks == 0:
        return pa.array([], values.type)
    return values.unify_dictionaries().combine_chunks()


def compact(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """A dictionary column with only the values its rows hold, in the order they first appear: what
    ``pc.dictionary_encode`` of the same texts gives (after a filter, a file's dictionary has values no row holds)."""
    coded = _one_chunk(values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values]))
    codes = pc.fill_null(coded.indices, -1).to_numpy(zero_copy_only=False)
    order, first = pd.factorize(codes, use_na_sentinel=False)
    if len(first) == len(coded.dictionary) and np.array_equal(first, np.arange(len(first))):
        return pa.chunked_array([coded])  # (already so)
    missing = first < 0
    if missing.any():  # the missing value takes no place in the dictionary: later codes move down by one
        at = int(np.flatnonzero(missing)[0])
        order = np.where(order == at, -1, order - (order > at))
        first = first[~missing]
    indices = pa.array(order.astype(np.int32), mask=order < 0)
    return pa.chunked_array([pa.DictionaryArray.from_arrays(indices, coded.dictionary.take(pa.array(first)))])


def categorical(values: pa.ChunkedArray, categories: list[str] | None = None) -> pd.Categorical:
    """An arrow text column as a pandas Categorical, encoded by arrow (a hash per row, no Python string)."""
    if pa.types.is_dictionary(values.type):
        values = compact(values)
    encoded = pc.dictionary_encode(values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    dictionary = encoded.dictionary.to_pylist()
    if categories is None:
        return pd.Categorical.from_codes(codes, categories=pd.Index(dictionary, dtype="str"))
    position = pd.Index(categories).get_indexer(dictionary)
    return pd.Categorical.from_codes(np.append(position, -1)[codes], categories=categories)


def text_col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as stripped text, missing where absent or empty."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="str")
    col = frame[name]
    if isinstance(col.dtype, pd.CategoricalDtype):  # (a dictionary column of the parse): cleaned once per value
        return pd.Series(pd.array(decoded(clean_text(pa.array(col.array))), dtype=_STRING), index=frame.index)
    values = pa.array(col.array) if isinstance(col.dtype, pd.StringDtype) else pa.array(
        col.astype("str").where(col.notna()).to_numpy(dtype=object), pa.string(), from_pandas=True)
    return pd.Series(pd.array(clean_text(values), dtype=_STRING), index=frame.index)


def decoded(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary column as plain text (one take); other text as it is."""
    if not pa.types.is_dictionary(values.type):
        return values
    coded = _one_chunk(values)
    return pa.chunked_array([coded.dictionary.cast(pa.large_string()).take(coded.indices)])


def coded_text(codes: np.ndarray, values: pa.Array, index: pd.Index) -> pd.Series:
    """Each row's text ``values[code]`` (code -1: missing) as a categorical, each distinct text once: a column that
    ``finish`` turns into text for the valid rows only (its ``as_text``)."""
    encoded = pc.dictionary_encode(values)
    at = np.append(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64), -1)
    categories = pd.Index(encoded.dictionary.to_pylist(), dtype="str")
    return pd.Series(pd.Categorical.from_codes(at[codes], categories=categories), index=index)


def text_of(col: pd.Series) -> pd.Series:
    """A categorical column as arrow text (its categories taken by the codes, unchanged)."""
    codes = col.cat.codes.to_numpy()
    values = pa.array(col.cat.categories.to_numpy(dtype=object), pa.large_string())
    return pd.Series(pd.array(values.take(pa.array(codes, mask=codes < 0)), dtype=_STRING), index=col.index)


def numbers(col: pd.Series | None, n: int) -> np.ndarray:
    """A float array from text ('NA', '' and words become NaN; 'Infinity' stays infinite)."""
    if col is None:
        return np.full(n, np.nan)
    return to_float(col)


def bad_number_report(col: pd.Series | None, values: np.ndarray, rows: np.ndarray, field_: str,
                      fix: str = "write it as a plain number such as 33.2991") -> pd.DataFrame:
    """Rows where text was given but is not a number."""
    if col is None:
        return report_frame([], "", "")
    mask = col.notna().to_numpy() & np.isnan(values)
    text = col[mask].astype("str").str.slice(0, 40).to_numpy()
    return report_frame(rows[mask], field_, [f"'{t}' is not a number: {fix}" for t in text])


def to_pl(col: pd.Series | None, n: int) -> pl.Series:
    if col is None:
        return pl.Series([None] * n, dtype=pl.String)
    return pl.from_pandas(col.astype("str").where(col.notna()))


def points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Shapely points; None where a coordinate is missing (the validator names those rows)."""
    geometry = shapely.points(np.nan_to_num(lon, nan=0.0), np.nan_to_num(lat, nan=0.0))
    geometry[np.isnan(lon) | np.isnan(lat)] = None
    return geometry


def first_valid(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.where(a.notna(), b)


def __getattr__(name: str):  # the old home of these names: callers outside the readers keep working
    moved = {"finish": "geo.ingest.finish", "read_delimited": "geo.ingest.text", "read_excel": "geo.ingest.excel",
             "sources_json": "geo.ingest.sources", "sources_text": "geo.ingest.sources",
             "country_codes": "geo.ingest.country", "sniff_delimiter": "geo.ingest.text"}
    if name in moved:
        import importlib

        return getattr(importlib.import_module(moved[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
