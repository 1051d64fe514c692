"""What the dashboard's Import page needs around the readers: the size cap, the format, the columns to map, the report.

The page stays a shell of widgets: it hands the uploaded bytes and the user's choices to these functions.

    fmt = detect_upload(data, "acled.csv")                       # 'acled'
    columns = upload_columns(data, "sites.csv", "csv")            # the file's headers, for the mapping editor
    table = mapping_table(columns)                                # field -> guessed column, editable
    result = read_upload(data, "sites.csv", fmt="csv", mapping=mapping_from_table(table), cap_mb=200)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import polars as pl

from geo.ingest import detect_format, read
from geo.ingest.common import IngestError, Ingested
from geo.ingest.excel import header_row
from geo.ingest.limits import LIMITS
from geo.ingest.table import FIELDS, resolve_mapping
from geo.ingest.text import read_delimited

#: The readers, as the Import page names them.
FORMAT_LABELS: dict[str, str] = {
    "acled": "ACLED export (CSV or XLSX)",
    "ucdp": "UCDP GED (CSV)",
    "gdelt": "GDELT 2.0 events (tab-separated .CSV)",
    "csv": "Any table (CSV or XLSX, columns mapped below)",
    "gis": "GIS layer (GeoJSON, GeoPackage, KML, zipped Shapefile)",
}
#: File name endings the uploader accepts.
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "geojson", "json", "gpkg", "kml", "zip", "fgb")
#: Readers whose columns are guessed from the headers and can be mapped by hand.
MAPPABLE = ("csv", "gis")
_MB = 1 << 20
#: An upload may unpack (zip, XLSX) to this many times the upload cap, and its events may take this many times it
#: in memory (GeoJSON takes ~5-6x its size): beyond, the command line is the way.
UNPACK_FACTOR, PARSED_FACTOR = 4.0, 8.0


def check_size(n_bytes: int, *, cap_mb: float, name: str = "the file") -> None:
    """Raise IngestError when a file is larger than ``cap_mb`` megabytes (the dashboard's upload limit)."""
    if n_bytes > cap_mb * _MB:
        raise IngestError(f"{name} is {n_bytes / _MB:,.1f} MB, above the upload limit of {cap_mb:g} MB: import it "
                          f"with `python -m geo ingest FILE --merge`, or split it into smaller files")


def detect_upload(data: bytes, name: str) -> str:
    """The reader for an uploaded file: 'acled', 'ucdp', 'gdelt', 'csv' or 'gis'."""
    return detect_format(data if name.lower().endswith(".xlsx") else data[: 1 << 16], name)


def upload_columns(data: bytes, name: str, fmt: str) -> list[str]:
    """The columns (attribute fields) of a table or GIS file, read from its header only where possible."""
    if fmt not in MAPPABLE:
        return []
    if fmt == "gis":
        import pyogrio

        try:
            return [str(f) for f in pyogrio.read_info(data)["fields"]]
        except Exception as exc:  # pyogrio raises several types for a damaged file; say it cannot be read
            raise IngestError(f"{name}: cannot be read as a GIS layer ({str(exc).splitlines()[0]})") from None
    if data[:2] == b"PK":
        return header_row(data, name)
    head = data[: 1 << 16]
    return list(read_delimited(head[: head.rfind(b"\n") + 1] or head, name).frame.columns)


def mapping_table(columns: list[str], mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per field of ours with the file's column that fills it ('' when none): the editable mapping."""
    chosen = resolve_mapping(pd.Index(columns), mapping, "the file") if columns else {}
    return pd.DataFrame({"field": list(FIELDS), "column": [chosen.get(f, "") for f in FIELDS]})


def mapping_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The mapping override from an edited ``mapping_table`` ('' removes a guessed column)."""
    column = table["column"].fillna("").astype("str").str.strip()
    return dict(zip(table["field"].astype("str"), column))


def read_upload(data: bytes, name: str, *, fmt: str | None = None, mapping: dict[str, str] | None = None,
                cap_mb: float = 200) -> Ingested:
    """Check the size, write the upload to a temporary file and read it with the chosen reader.

    Parameters
    ----------
    name : the uploaded file's own name: it picks the reader when ``fmt`` is None and names the dataset.
    mapping : field -> column overrides, for the 'csv' and 'gis' readers only.
    """
    check_size(len(data), cap_mb=cap_mb, name=name)
    fmt = fmt or detect_upload(data, name)
    options = {"mapping": mapping} if mapping and fmt in MAPPABLE else {}
    limits = LIMITS.scaled_to(int(cap_mb * _MB), unpack_factor=UNPACK_FACTOR)
    handle, tmp = tempfile.mkstemp(prefix="cem-upload-", suffix=Path(name).suffix.lower())
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        result = read(tmp, fmt, name=Path(name).name, limits=limits, **options)
    finally:
        Path(tmp).unlink(missing_ok=True)
    check_parsed(result, cap_mb=cap_mb, name=name)
    return result


def parsed_mb(result: Ingested) -> float:
    """Memory the imported events take, in MB (text columns counted in full, points at 64 bytes each)."""
    events = result.events
    columns = [c for c in events.columns if c != events.geometry.name]
    return (float(events[columns].memory_usage(deep=True, index=False).sum()) + 64 * len(events)) / _MB


def check_parsed(result: Ingested, *, cap_mb: float, name: str = "the file") -> None:
    """Raise IngestError when an upload's events take more memory than ``PARSED_FACTOR`` times the cap."""
    size = parsed_mb(result)
    if size > cap_mb * PARSED_FACTOR:
        raise IngestError(f"{name} holds {result.taken:,} events taking {size:,.0f} MB once read, above the "
                          f"{cap_mb * PARSED_FACTOR:,.0f} MB an upload may take: import it with "
                          f"`python -m geo ingest FILE --merge`, or split it")


def report_csv_bytes(report: pd.DataFrame) -> bytes:
    """A row report as UTF-8 CSV with CRLF line ends, text cells made formula-safe for spreadsheets."""
    from geo.export import neutralised

    frame = pl.from_pandas(report.astype({c: "str" for c in report.columns if c != "row"}))
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(neutralised(c) for c in text).write_csv(line_terminator="\r\n").encode()


def linked_duplicates(merged: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """The imported records a merge linked to a record of another source: id, its possible duplicate, date, place."""
    if "duplicate_of" not in merged:
        return pd.DataFrame({"event_id": [], "duplicate_of": [], "date": [], "location": []}, dtype="str")
    linked = merged[merged["event_id"].isin(incoming["event_id"]) & merged["duplicate_of"].notna()]
    return linked[["event_id", "duplicate_of", "date", "location"]].reset_index(drop=True)
