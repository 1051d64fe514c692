"""Readers of the field's event data, one module per source, all with the same shape.

    result = geo.ingest.read("acled.csv")             # the format is detected, or: fmt="acled"
    result.events, result.report                      # events in our schema; (row, field, reason) per row not taken

Readers: ``acled`` (CSV/XLSX exports), ``ucdp`` (GED CSV), ``gdelt`` (2.0 event files), ``table`` (any CSV or XLSX,
mapping guessed from the headers) and ``gis`` (GeoJSON, GeoPackage, KML, Shapefile through pyogrio).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from geo.ingest.common import REPORT_COLUMNS, SCOPE, IngestError, Ingested, Source, name_of

FORMATS: dict[str, str] = {
    "acled": "geo.ingest.acled", "ucdp": "geo.ingest.ucdp", "gdelt": "geo.ingest.gdelt",
    "csv": "geo.ingest.table", "gis": "geo.ingest.gis",
}
_GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".kml", ".shp", ".zip", ".fgb"}

__all__ = ["FORMATS", "REPORT_COLUMNS", "SCOPE", "IngestError", "Ingested", "detect_format", "read"]


def detect_format(head: bytes, filename: str = "") -> str:
    """Guess the reader from a file's first bytes and name: 'acled', 'ucdp', 'gdelt', 'gis' or 'csv'."""
    suffix = Path(filename).suffix.lower()
    if suffix in _GIS_SUFFIXES or head.lstrip()[:1] == b"{" or head[:16].startswith(b"SQLite format 3"):
        return "gis"
    if head[:2] == b"PK" and suffix != ".xlsx":
        return "gis"
    if head[:2] == b"PK":  # an XLSX: look at its header row
        from geo.ingest.common import read_excel

        try:
            text = ",".join(read_excel(head, filename).frame.columns).lower()
        except IngestError:
            return "csv"
    else:
        text = head.split(b"\n", 1)[0].decode("latin-1").lower().lstrip("\ufeff\xef\xbb\xbf")
    if "event_id_cnty" in text:
        return "acled"
    if "where_prec" in text and "date_start" in text:
        return "ucdp"
    first = head.split(b"\n", 1)[0]
    if first.count(b"\t") in (57, 60) and first.split(b"\t", 1)[0].strip().isdigit():
        return "gdelt"
    return "csv"


def read(source: Source, fmt: str | None = None, **options) -> Ingested:
    """Read ``source`` with the reader of ``fmt`` (detected when None); options go to that reader."""
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
    return module.read(source, name=name, **options)
