"""Export formats by file extension, and their media types (no heavy import: the CLI checks names first)."""

from __future__ import annotations

import os
from pathlib import Path

from geo.errors import ExportError

FORMATS: dict[str, str] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".csv": "csv",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
MEDIA_TYPES: dict[str, str] = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "gpkg": "application/geopackage+sqlite3",
    "parquet": "application/vnd.apache.parquet",
}


def format_for(path: str | os.PathLike[str]) -> str:
    """Export format from a file name's extension; ExportError for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: cannot tell the format from '{suffix or '(no extension)'}'; "
                          f"use one of {', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]
