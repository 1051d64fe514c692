"""Where event collections live: files read through GDAL with a trusted GeoParquet cache, atomic writes, and the
stores that several readers and writers share.

``files`` reads every format and validates it (``load_events`` reads through the trusted cache); ``cache`` keeps
each file validated once as GeoParquet; ``engine`` queries such a GeoParquet in DuckDB; ``atomic`` writes a file
so that a reader never sees half of it. ``base`` declares the store interface, ``parquet`` (the user's locked
and journaled GeoParquet collection) and ``postgis`` (a team's PostgreSQL server) implement it, and ``open`` picks
one from a path or a URL.
"""

from __future__ import annotations

from typing import Any

from geo.paths import DEFAULT_EVENTS, cache_dir

__all__ = ["DEFAULT_EVENTS", "cache_dir", "check_file", "format_of", "load_events", "read_events"]

#: Names of ``files`` load with their first use: GDAL and pandas stay out of `python -m geo stats`.
_FROM_FILES = ("check_file", "format_of", "load_events", "read_events")


def __getattr__(name: str) -> Any:
    if name in _FROM_FILES:
        from geo.store import files

        return getattr(files, name)
    raise AttributeError(f"module 'geo.store' has no attribute {name!r}")
