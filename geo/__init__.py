"""Conflict Event Map: the library behind the dashboard and ``python -m geo``.

Public API (the dashboard, the command line and scripts use only these names)::

    events = geo.load_events(geo.DEFAULT_EVENTS)
    spec = geo.FilterSpec(weapons=("drone",), countries=("IRQ",))
    chosen = geo.apply(events, spec)
    geo.write(chosen, "drones.geojson", caption=geo.describe(spec, len(chosen)))
"""

from __future__ import annotations

from typing import Any

from geo.errors import ExportError, FilterError, GeoError, Problem, ReadError, SchemaError
from geo.export import csv_bytes, format_for, geojson_bytes, to_bytes, write
from geo.query import FilterSpec, apply, describe, file_stem, from_params, mask, to_params
from geo.schema import (
    ACLED_EVENT_TYPES,
    ATTRIBUTIONS,
    COLUMNS,
    DATE_PRECISIONS,
    FIELDS,
    GEO_PRECISIONS,
    OUTCOMES,
    WEAPON_COLORS,
    WEAPON_LABELS,
    WEAPON_NAMES,
    WEAPON_TYPES,
    country_name,
)
from geo.stats import summarize
from geo.store import DEFAULT_EVENTS, check_file, load_events, read_events

_MAPVIEW = ("build_map", "standalone_html", "use_offline_assets", "escape_text")

__all__ = [
    "ACLED_EVENT_TYPES", "ATTRIBUTIONS", "COLUMNS", "DATE_PRECISIONS", "DEFAULT_EVENTS", "FIELDS",
    "GEO_PRECISIONS", "OUTCOMES", "WEAPON_COLORS", "WEAPON_LABELS", "WEAPON_NAMES", "WEAPON_TYPES",
    "ExportError", "FilterError", "FilterSpec", "GeoError", "Problem", "ReadError", "SchemaError",
    "apply", "check_file", "file_stem", "country_name", "csv_bytes", "describe", "format_for", "from_params",
    "geojson_bytes", "load_events", "mask", "read_events", "summarize", "to_bytes", "to_params", "write",
    *_MAPVIEW,
]


def __getattr__(name: str) -> Any:
    # folium is only imported when a map is drawn, so `python -m geo export` starts fast.
    if name in _MAPVIEW:
        from geo import mapview

        return getattr(mapview, name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
