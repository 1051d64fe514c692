"""Bounds on what an import may cost: file and unpacked sizes, archive ratios, rows, columns, cell lengths.

Archives (XLSX workbooks are zip files too) are checked from their table of contents (``zipfile.infolist``) before a
single byte is unpacked: a zip bomb is refused by its declared sizes and compression ratio, a zip inside a zip is
refused outright. The limits are generous for real exports (ACLED's largest regional files are a few hundred MB,
compressing 5-15 to 1) and far below what would exhaust the machine.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from geo.ingest.common import IngestError

_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one import may take; ``upload`` derives the dashboard's from its upload cap."""

    max_bytes: int = 8 << 30          # a file's bytes, and an archive's bytes once unpacked
    max_ratio: float = 100.0          # unpacked / packed size of one archive member (text packs 5-20x, bombs 1000x)
    max_members: int = 10_000         # files inside one archive
    max_rows: int = 50_000_000
    max_columns: int = 2_000
    max_cell_chars: int = 100_000     # one cell (an ACLED note is at most a few thousand characters)

    def scaled_to(self, cap_bytes: int, *, unpack_factor: float = 4.0) -> Limits:
        """The same limits with the file and unpacked sizes bound by an upload cap."""
        return replace(self, max_bytes=int(min(self.max_bytes, cap_bytes * unpack_factor)))


LIMITS = Limits()

#: Members of an archive that hold a GIS layer pyogrio can open.
LAYER_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg", ".kml", ".fgb", ".gml", ".tab", ".mif", ".csv")
_ARCHIVE_SUFFIXES = (".zip", ".kmz", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz")


def check_size(n_bytes: int, name: str, limits: Limits = LIMITS) -> None:
    if n_bytes > limits.max_bytes:
        raise IngestError(f"{name}: {n_bytes / _MB:,.0f} MB is more than this import takes "
                          f"({limits.max_bytes / _MB:,.0f} MB): split the file into smaller ones")


def check_archive(data: bytes, name: str, limits: Limits = LIMITS, *, kind: str = "zip") -> list[zipfile.ZipInfo]:
    """The members of a zip (or XLSX) after checking, from its table of contents only, that unpacking is safe.

    Raises IngestError for a damaged archive, too many members, a member or a total larger than the limits once
    unpacked, a compression ratio typical of zip bombs, or an archive inside the archive.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        what = "an XLSX workbook" if kind == "xlsx" else "a zip archive"
        raise IngestError(f"{name}: cannot be read as {what} ({exc}): save or zip it again") from None
    if len(members) > limits.max_members:
        raise IngestError(f"{name}: holds {len(members):,} files, more than {limits.max_members:,}: "
                          f"zip only the layer's files")
    total = sum(m.file_size for m in members)
    if total > limits.max_bytes:
        raise IngestError(f"{name}: unpacks to {total / _MB:,.0f} MB, more than this import takes "
                          f"({limits.max_bytes / _MB:,.0f} MB): split it into smaller files")
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > _MB and ratio > limits.max_ratio:
            raise IngestError(f"{name}: member {m.filename!r} would unpack {ratio:,.0f} times its packed size "
                              f"(at most {limits.max_ratio:g} is taken): a zip bomb, or not a real export")
        if kind == "zip" and PurePosixPath(m.filename).suffix.lower() in _ARCHIVE_SUFFIXES:
            raise IngestError(f"{name}: holds another archive ({m.filename}): unzip the outer archive first "
                              f"and import what is inside")
    return members


def check_layer_archive(data: bytes, name: str, limits: Limits = LIMITS) -> None:
    """A zip that should hold a GIS layer: safe to unpack, and with at least one layer file in it."""
    members = check_archive(data, name, limits)
    layers = [m.filename for m in members if PurePosixPath(m.filename).suffix.lower() in LAYER_SUFFIXES]
    if not layers:
        shown = ", ".join(m.filename for m in members[:5]) or "nothing"
        raise IngestError(f"{name}: holds no GIS layer (.shp with its .dbf/.shx, .geojson, .gpkg, .kml); it has "
                          f"{shown}: zip the layer's files, or import the file itself")


def check_columns(n_columns: int, name: str, limits: Limits = LIMITS) -> None:
    if n_columns > limits.max_columns:
        raise IngestError(f"{name}: has {n_columns:,} columns, more than {limits.max_columns:,}: "
                          f"is the delimiter right? Keep only the columns the events need")


def check_rows(n_rows: int, name: str, limits: Limits = LIMITS) -> None:
    if n_rows > limits.max_rows:
        raise IngestError(f"{name}: has {n_rows:,} rows, more than {limits.max_rows:,} in one import: "
                          f"split the file into smaller ones")
