"""What every reader shares: reading delimited text safely, the row report, and the last step through the validator.

A reader turns its source's columns into our raw columns (strings and numbers), then calls ``finish`` which builds
the points, runs ``geo.validate.check`` (the one validator) and turns every problem into a report row. Row numbers
in the report are spreadsheet row numbers: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely

from geo.countries import COUNTRIES_PATH as BASEMAP_PATH
from geo.errors import ReadError
from geo.schema import FIELDS
from geo.validate import check, to_float

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


def report_frame(rows: np.ndarray | list[int], field_: str | list[str] | np.ndarray,
                 reason: str | list[str] | np.ndarray) -> pd.DataFrame:
    """A report DataFrame (row, field, reason); scalars are broadcast."""
    rows = np.asarray(rows, dtype="int64")
    n = len(rows)
    f = np.full(n, field_, dtype=object) if isinstance(field_, str) else np.asarray(field_, dtype=object)
    r = np.full(n, reason, dtype=object) if isinstance(reason, str) else np.asarray(reason, dtype=object)
    return pd.DataFrame({"row": rows, "field": pd.array(f, dtype="str"), "reason": pd.array(r, dtype="str")})


def name_of(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return getattr(source, "name", None) or "<upload>"


def read_bytes(source: Source) -> bytes:
    """The whole source as bytes (files are read once; readers that stream use the path instead)."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        return path.read_bytes()
    return source.read()


_DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(head: bytes) -> str:
    """The delimiter giving the most fields in the header line (outside quotes): ',', ';', tab or '|'."""
    line = head.split(b"\n", 1)[0].decode("latin-1")
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Table:
    """Text columns read from a delimited file, with each record's spreadsheet row and the rows not read."""

    frame: pd.DataFrame
    rows: np.ndarray
    report: pd.DataFrame
    notes: list[str]


def read_delimited(data: bytes, name: str, *, delimiter: str | None = None,
                   column_names: list[str] | None = None) -> Table:
    """Read a delimited file as text columns: "NA" stays text, BOM and cp1252 handled, long rows reported.

    Parameters
    ----------
    column_names : names for a file without a header line (GDELT); the header is read from the file otherwise.
    """
    notes: list[str] = []
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise IngestError(f"{name}: the file is empty")
    sniffed = delimiter is None
    delimiter = delimiter or sniff_delimiter(data[:65536])
    if sniffed and delimiter != ",":
        notes.append(f"delimiter detected: {delimiter!r}")
    encoding = "utf8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp1252"
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            encoding = "latin-1"
        notes.append(f"the file is not UTF-8: read as {encoding}")
    bad: list[tuple[int | None, int, int]] = []

    def on_bad(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.actual_columns, row.expected_columns))
        return "skip"

    def parse(threads: bool) -> pa.Table:
        header = column_names or _header(data, delimiter, encoding, name)
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=threads, encoding=encoding, column_names=header,
                                           skip_rows=0 if column_names else 1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_bad),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header}, null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))

    try:
        table = parse(True)
        if bad:  # row numbers of skipped rows are only known from a single-threaded read
            bad.clear()
            table = parse(False)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"{name}: cannot be read as delimited text ({str(exc).splitlines()[0]})") from None
    first = 1 if column_names else 2
    total = table.num_rows + len(bad)
    skipped = np.array([b[0] for b in bad if b[0] is not None], dtype="int64")
    # pyarrow numbers records from 1 with the header as record 1, as a spreadsheet does; no header: data from 1.
    rows = np.arange(first, first + total, dtype="int64")
    if len(skipped):  # (setdiff1d sorts: costly on a million rows, and nothing to remove in a clean file)
        rows = np.setdiff1d(rows, skipped)
    rows = rows[: table.num_rows]
    reasons = [f"has {a} fields, the header has {e}: not read (check quoting or the delimiter)" for _, a, e in bad]
    report = report_frame(skipped, "row", reasons[: len(skipped)])
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    frame.columns = [str(c) for c in frame.columns]
    return Table(frame, rows, report, notes)


def _header(data: bytes, delimiter: str, encoding: str, name: str) -> list[str]:
    head = data[: 1 << 20]
    try:
        first = pacsv.read_csv(io.BytesIO(head.split(b"\n", 1)[0] + b"\n"),
                               read_options=pacsv.ReadOptions(encoding=encoding, autogenerate_column_names=True),
                               parse_options=pacsv.ParseOptions(delimiter=delimiter),
                               convert_options=pacsv.ConvertOptions(column_types={}))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise IngestError(f"{name}: the header line cannot be read ({exc})") from None
    names = [str(first.column(i)[0]) if first.num_rows else f"f{i}" for i in range(first.num_columns)]
    seen: dict[str, int] = {}
    out = []
    for n in names:  # duplicated header names would make pyarrow fail; number them instead
        key = n.strip()
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}.{seen[key] - 1}")
    return out


def read_excel(data: bytes, name: str) -> Table:
    """Read the first sheet of an XLSX workbook as text columns (dates become 'YYYY-MM-DD HH:MM:SS')."""
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype="str", keep_default_na=False,
                              na_values=[""], engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook; the user needs to know it failed
        raise IngestError(f"{name}: cannot be read as an XLSX workbook ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(2, 2 + len(frame), dtype="int64")
    return Table(frame.astype("str").where(frame.notna()), rows, report_frame([], "", ""), [])


def normalise_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case, stripped headers (old ACLED guides use upper case; a BOM may stick to the first)."""
    return frame.rename(columns=lambda c: c.replace("\ufeff", "").strip().lower())


def numbers(col: pd.Series | None, n: int) -> np.ndarray:
    """A float array from text ('NA', '' and words become NaN; 'Infinity' stays infinite)."""
    if col is None:
        return np.full(n, np.nan)
    return to_float(col)


def bad_number_report(col: pd.Series | None, values: np.ndarray, rows: np.ndarray, field_: str) -> pd.DataFrame:
    """Rows where text was given but is not a number."""
    if col is None:
        return report_frame([], "", "")
    mask = col.notna().to_numpy() & np.isnan(values)
    text = col[mask].astype("str").str.slice(0, 40).to_numpy()
    return report_frame(rows[mask], field_, [f"'{t}' is not a number" for t in text])


def sources_json(publishers: pl.Series, *, sep: str, date: pl.Series | None = None,
                 url: pl.Series | None = None, title: pl.Series | None = None) -> np.ndarray:
    """JSON ``sources`` text for each row: one {publisher, url, date, title} per ``sep``-separated publisher.

    Built with polars list operations, so a million rows cost one pass.
    """
    return _sources(publishers, sep=sep, date=date, url=url, title=title).to_numpy()


def sources_text(publishers: pl.Series, *, sep: str, date: pl.Series | None = None) -> pd.Series:
    """``sources_json`` as a pandas text column (no Python string per row), for readers without urls or titles.

    Built a slice of rows at a time: polars keeps the memory of its intermediates, so slices bound the peak.
    """
    n, step = len(publishers), 1 << 17
    date = date if date is not None else pl.Series([None] * n, dtype=pl.String)
    chunks = [_sources(publishers.slice(i, step), sep=sep, date=date.slice(i, step)).to_arrow()
              .cast(pa.large_string()) for i in range(0, n, step)]
    if not chunks:
        return pd.Series(pd.array([], dtype="str"))
    return pd.Series(pd.array(pa.chunked_array(chunks), dtype="str"))


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


def to_pl(col: pd.Series | None, n: int) -> pl.Series:
    if col is None:
        return pl.Series([None] * n, dtype=pl.String)
    return pl.from_pandas(col.astype("str").where(col.notna()))


def points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Shapely points; None where a coordinate is missing (the validator names those rows)."""
    geometry = shapely.points(np.nan_to_num(lon, nan=0.0), np.nan_to_num(lat, nan=0.0))
    geometry[np.isnan(lon) | np.isnan(lat)] = None
    return geometry


def finish(raw: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, rows: np.ndarray,
           reports: list[pd.DataFrame], *, fmt: str, notes: list[str],
           keep: np.ndarray | None = None, geometry: np.ndarray | None = None) -> Ingested:
    """Validate the rows still in play (``keep``) and gather every report into one sorted DataFrame."""
    keep = np.ones(len(raw), dtype=bool) if keep is None else keep
    if not keep.all():  # (a full copy of every column otherwise, for nothing)
        raw, rows = raw[keep].reset_index(drop=True), rows[keep]
    else:
        raw = raw.reset_index(drop=True)
    for f in FIELDS:  # every schema column present, so the validator types them all the same way
        if f.name not in raw:
            raw[f.name] = pd.Series(np.nan, index=raw.index, dtype="float64" if f.kind in ("int", "float") else "str")
    geom = points(lon[keep], lat[keep]) if geometry is None else geometry[keep]
    _fill_country(raw, geom, notes)
    checked = check(raw, geom)
    already = np.unique(np.concatenate([r["row"].to_numpy() for r in reports if len(r)] or [np.array([], "int64")]))
    # "missing" after the reader already said why (bad date text, 'NA' latitude) would say the same thing twice
    problems = [p for p in checked.problems
                if not (p.reason.startswith("missing") and rows[_index(p)] in already)]
    if problems:
        index = np.array([_index(p) for p in problems], dtype="int64")
        reports.append(report_frame(rows[index], [p.field for p in problems], [p.reason for p in problems]))
    report = pd.concat([r for r in reports if len(r)] or [report_frame([], "", "")], ignore_index=True)
    report = report.sort_values(["row", "field"], kind="stable").reset_index(drop=True)
    events = checked.events[~checked.bad] if checked.bad.any() else checked.events  # (no copy of a clean file)
    events = events.reset_index(drop=True)
    return Ingested(events, report, fmt=fmt, notes=notes)


def _fill_country(raw: pd.DataFrame, geom: np.ndarray, notes: list[str]) -> None:
    """Rows without a country take the one their point falls in (the bundled Natural Earth outlines)."""
    need = raw["country"].isna().to_numpy() & ~shapely.is_missing(geom)
    if need.any():
        need &= np.isfinite(shapely.get_x(np.where(need, geom, None)).astype(float))
    if need.any():
        import pyogrio

        from geo.schema import empty_events  # noqa: F401  (keeps the import order of the package)

        path = BASEMAP_PATH
        outlines = pyogrio.read_dataframe(path)
        tree = shapely.STRtree(outlines.geometry.to_numpy())
        where, which = tree.query(geom[need], predicate="intersects")
        names = pd.Series(np.nan, index=np.arange(need.sum()), dtype="str")
        names.iloc[where] = outlines["name"].to_numpy()[which]
        codes = country_codes(names)
        raw.loc[np.flatnonzero(need), "country"] = codes.to_numpy()
        notes.append(f"{int(codes.notna().sum()):,} rows without a country took the one their point lies in")
    if raw["country"].isna().all():
        raw["country"] = ""  # the validator then reports each row as missing a country


def _index(problem) -> int:
    return int(problem.feature[9:].split("]", 1)[0])  # "features[12] (id)" -> 12


def first_valid(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.where(a.notna(), b)


def iso_dates(col: pd.Series, formats: tuple[tuple[str, str], ...]) -> tuple[pd.Series, np.ndarray]:
    """Parse dates with explicit formats, each only on the values its pattern matches (never a guess).

    Only distinct values are parsed (a million rows hold a few thousand dates). Returns ISO text and a mask of the
    rows whose non-empty value matched no format.
    """
    codes, uniques = pd.factorize(col.astype("str").str.strip().where(col.notna()), use_na_sentinel=True)
    text = pd.Series(uniques, dtype="str")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for pattern, fmt in formats:
        match = text.str.fullmatch(pattern).fillna(False).astype(bool) & parsed.isna()
        if match.any():
            parsed[match] = pd.to_datetime(text[match], format=fmt, errors="coerce")
    iso = parsed.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None)
    out = np.where(codes >= 0, iso[np.maximum(codes, 0)] if len(iso) else None, None)
    bad = (codes >= 0) & pd.isna(out)
    return pd.Series(out, dtype="str"), bad


def country_codes(names: pd.Series) -> pd.Series:
    """ISO3 codes from country names or codes (alpha-3, alpha-2, numeric), resolved once per distinct value."""
    import pycountry  # lazily: only importers need it

    codes, uniques = pd.factorize(names.astype("str").str.strip().where(names.notna()), use_na_sentinel=True)
    resolved = np.array([_country(str(u), pycountry) for u in uniques], dtype=object)
    out = np.where(codes >= 0, resolved[np.maximum(codes, 0)] if len(resolved) else None, None)
    return pd.Series(out, dtype="str")


_COUNTRY_ALIASES = {
    "syria": "SYR", "iran": "IRN", "russia": "RUS", "turkey": "TUR", "dr congo": "COD",
    "democratic republic of congo": "COD", "republic of congo": "COG", "ivory coast": "CIV", "laos": "LAO",
    "vietnam": "VNM", "palestine": "PSE", "south korea": "KOR", "north korea": "PRK", "bolivia": "BOL",
    "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA", "bosnia-herzegovina": "BIH", "kosovo": "XKX",
    "myanmar": "MMR", "burma": "MMR", "cape verde": "CPV", "macedonia, fyr": "MKD", "swaziland": "SWZ",
    "kingdom of eswatini": "SWZ", "yemen (north yemen)": "YEM", "east timor": "TLS",
}


def _country(value: str, pycountry) -> str | None:
    text = value.strip()
    key = re.sub(r"\s*\(.*\)$", "", text).strip().lower()
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    for candidate in (text, re.sub(r"\s*\(.*\)$", "", text)):
        if candidate.isdigit():
            found = pycountry.countries.get(numeric=candidate.zfill(3))
        else:
            try:
                found = pycountry.countries.lookup(candidate)
            except LookupError:
                found = None
        if found is not None:
            return found.alpha_3
    return None
