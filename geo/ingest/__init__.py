"""Readers of the field's event data, one module per source, all with the same shape.

    result = geo.ingest.read("acled.csv")             # the format is detected, or: fmt="acled"
    result.events, result.report                      # events in our schema; (row, field, reason) per row not taken

Readers: ``acled`` (CSV/XLSX exports of every layout), ``ucdp`` (GED CSV), ``gdelt`` (1.0 and 2.0 event files),
``table`` (any CSV or XLSX, mapping guessed from the headers) and ``gis`` (GeoJSON, GeoPackage, KML, Shapefile
through pyogrio). ``read`` refuses (IngestError) a file from which no event could be taken, saying what it needs.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import os
import re
from collections.abc import Iterator
from pathlib import Path

from geo.ingest.common import REPORT_COLUMNS, SCOPE, IngestError, Ingested, Source, name_of

FORMATS: dict[str, str] = {
    "acled": "geo.ingest.acled", "ucdp": "geo.ingest.ucdp", "gdelt": "geo.ingest.gdelt",
    "csv": "geo.ingest.table", "gis": "geo.ingest.gis",
}
_GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".kml", ".kmz", ".shp", ".zip", ".fgb"}
_GDELT_FIELDS = (57, 58, 61)

__all__ = ["FORMATS", "REPORT_COLUMNS", "SCOPE", "IngestError", "Ingested", "detect_format", "read"]


def detect_format(head: bytes, filename: str = "") -> str:
    """Guess the reader from a file's first bytes and name: 'acled', 'ucdp', 'gdelt', 'gis' or 'csv'."""
    suffix = Path(filename).suffix.lower()
    if suffix in _GIS_SUFFIXES or head.lstrip()[:1] == b"{" or head[:16].startswith(b"SQLite format 3"):
        return "gis"
    if head[:2] == b"PK" and suffix != ".xlsx":
        return "gis"
    if head[:2] == b"PK":  # an XLSX: look at its header row
        from geo.ingest.excel import header_row

        try:
            text = ",".join(header_row(head, filename)).lower()
        except IngestError:
            return "csv"
        first = text.encode()
    else:
        from geo.ingest.text import decode

        try:
            first = decode(head[: 1 << 16], filename, []).split(b"\n", 1)[0]
        except IngestError:
            return "csv"
        text = first.decode("latin-1").lower()
    if "event_id_cnty" in text:
        return "acled"
    if "where_prec" in text and "date_start" in text:
        return "ucdp"
    lead = first.split(b"\t", 1)[0].strip()
    cells = {c.strip().strip('"') for c in re.split(r"[\t,;|]", text)}
    if {"globaleventid", "sqldate"} <= cells or first.count(b"\t") + 1 in _GDELT_FIELDS and lead.isdigit():
        return "gdelt"
    if first.count(b",") == 48 and first.split(b",", 1)[0].strip().isdigit():
        return "ucdp"  # a GED release published without its header row
    return "csv"


def read(source: Source, fmt: str | None = None, *, refuse_empty: bool = True, **options) -> Ingested:
    """Read ``source`` with the reader of ``fmt`` (detected when None); options go to that reader.

    Options a reader does not take are left out with a note. With ``refuse_empty`` a file from which no event could
    be taken raises IngestError saying why and what the file needs (``geo.ingest.verdict``).
    """
    name = options.pop("name", None) or name_of(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
    if fmt is None:
        if isinstance(source, bytes):
            head = source
        elif isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as fh:
                head = fh.read(1 << 16) if Path(source).suffix.lower() != ".xlsx" else fh.read()
        else:
            head = source.read()
            source = head
        fmt = detect_format(head, name)
    if fmt not in FORMATS:
        raise IngestError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    module = importlib.import_module(FORMATS[fmt])
    takes = inspect.signature(module.read).parameters
    ignored = sorted(k for k, v in options.items() if k not in takes and v is not None)
    use_jemalloc()
    with _collector_paused():
        result = module.read(source, name=name, **{k: v for k, v in options.items() if k in takes})
    if ignored:
        result.notes.append(f"option(s) {', '.join(ignored)} do not apply to {fmt} files: ignored")
    if refuse_empty:
        from geo.ingest.verdict import refusal

        message = refusal(result, name)
        if message:
            raise IngestError(message)
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a file is read (and resumed after, if it was running).

    A reader makes a Python object per event (its shapely point) and few reference cycles. Each full collection
    walks every live object, the new points included, and a million new objects set several off: measured ~0.5 of
    5.5 CPU s at 1M ACLED rows. Overlapping reads (the dashboard's threads) end with it as the first one found it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def use_jemalloc() -> None:
    """Arrow allocates from its jemalloc pool in this process from the first read on (where the wheel has it).

    A reader makes and frees many column-sized buffers. Arrow's default mimalloc pool hands freed pages back to the
    system within ~10 ms, so the next buffer of the same size faults them in again: at 1M ACLED rows that was 4.6 of
    10.7 CPU s in the kernel. Arrow's jemalloc keeps freed pages for 1 s (then a background thread returns them):
    measured 8.2 CPU s, with a lower peak memory (1.57 against 1.69 GB). Set once, not swapped per read: the pool is
    process-wide, and reads in the dashboard's threads overlap (a swap back could not be undone in order).
    """
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a wheel built without jemalloc keeps its own pool
        pass
