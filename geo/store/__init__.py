"""Where event collections live: files read through GDAL with a trusted GeoParquet cache, and atomic writes.

``files`` reads every format and validates it (``load_events`` caches the validated result); ``atomic`` writes a
file so that a reader never sees half of it.
"""

from __future__ import annotations

from geo.paths import cache_dir
from geo.store.files import DEFAULT_EVENTS, check_file, format_of, load_events, read_events

__all__ = ["DEFAULT_EVENTS", "cache_dir", "check_file", "format_of", "load_events", "read_events"]
