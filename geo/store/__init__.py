"""Where event collections live: files read through GDAL with a trusted GeoParquet cache, atomic writes, and the
stores that several readers and writers share.

``files`` reads every format and validates it (``load_events`` caches the validated result); ``atomic`` writes a
file so that a reader never sees half of it. ``base`` declares the store interface, ``parquet`` (the user's locked
and journaled GeoParquet collection) and ``postgis`` (a team's PostgreSQL server) implement it, and ``open`` picks
one from a path or a URL.
"""

from __future__ import annotations

from geo.paths import cache_dir
from geo.store.files import DEFAULT_EVENTS, check_file, format_of, load_events, read_events

__all__ = ["DEFAULT_EVENTS", "cache_dir", "check_file", "format_of", "load_events", "read_events"]
