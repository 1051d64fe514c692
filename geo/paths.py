"""The user's folders: derived caches (rebuilt at will) and the working collection (the user's own data)."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "conflict-event-map"
#: The bundled seed events (real, sourced), used when no input is named.
DEFAULT_EVENTS = Path(__file__).resolve().parent.parent / "data" / "events.geojson"


def cache_dir() -> Path:
    """Folder of derived files (GeoParquet caches, the gazetteer index): $CEM_CACHE_DIR, else $XDG_CACHE_HOME or
    ~/.cache, then ``conflict-event-map``."""
    if os.environ.get("CEM_CACHE_DIR"):
        return Path(os.environ["CEM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / APP_DIR


def data_dir() -> Path:
    """Folder of the user's working collection: $CEM_DATA_DIR, else $XDG_DATA_HOME or ~/.local/share, then
    ``conflict-event-map``."""
    if os.environ.get("CEM_DATA_DIR"):
        return Path(os.environ["CEM_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_DIR
