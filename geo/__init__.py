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
from geo.escape import error_text, markdown as escape_markdown
from geo.about import ABOUT_TEXT, CITATION_TEXT
from geo.query import FilterSpec, apply, describe, events_at, file_stem, from_params, mask, to_params
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
from geo.paths import DEFAULT_EVENTS
from geo.stats import summarize, trends

# pandas, geopandas, polars and GDAL load with the first of these names used, not with `import geo`.
_FRAMES = {**{name: ("geo.export", name) for name in ("MEDIA_TYPES", "csv_bytes", "format_for", "geojson_bytes",
                                                       "to_bytes", "write")},
           **{name: ("geo.store", name) for name in ("check_file", "load_events", "read_events")},
           **{name: ("geo.tables", name) for name in ("MISSING_MARK", "display_table", "records")}}
_MAPVIEW = ("build_map", "standalone_html", "use_offline_assets", "escape_text", "MAX_MARKERS", "cell_events",
            "base_map", "View", "map_points", "dataset_points", "filtered_points", "view_features", "view_group", "playback_group", "stack_members",
            "weapons_present", "RECORD_CSS", "feed_order", "feed_page", "link", "read_view_params",
            "record_html", "view_params")
_TIMELINE = {"PLAYBACK_STEPS": ("geo.timeline", "STEPS"), "PLAYBACK_MODES": ("geo.timeline", "MODES"),
             "playback_frames": ("geo.timeline", "frames"), "frame_index": ("geo.timeline", "frame_index"),
             "frame_visible": ("geo.timeline", "visible")}
_SNAPSHOT = ("SIZES", "SnapshotOptions", "snapshot_bytes")
_REPORT = ("REPORT_FORMATS", "report_bytes", "report_html", "report_pack", "write_report")
# Playback export (matplotlib, PyAV) and its frame function, shared with the web playback.
_ANIMATE = {"animation_bytes": ("geo.staticmap.animate", "animation_bytes"), "Playback": ("geo.staticmap.animate", "Playback"),
            "ANIMATION_FORMATS": ("geo.staticmap.animate", "FORMATS"), "MAP_STYLES": ("geo.staticmap.snapshot", "STYLES"),
            "playback_timeline": ("geo.timeline", "timeline")}  # not "timeline": the submodule takes that name
_INGEST = {"ingest_file": ("geo.ingest", "read"), "detect_format": ("geo.ingest", "detect_format"),
           "Ingested": ("geo.ingest", "Ingested"), "IngestError": ("geo.ingest", "IngestError"),
           # the Import page's helpers around the readers
           "read_upload": ("geo.ingest.upload", "read_upload"), "check_upload_size": ("geo.ingest.upload", "check_size"),
           "detect_upload": ("geo.ingest.upload", "detect_upload"),
           "upload_columns": ("geo.ingest.upload", "upload_columns"),
           "mapping_table": ("geo.ingest.upload", "mapping_table"),
           "mapping_from_table": ("geo.ingest.upload", "mapping_from_table"),
           "report_csv_bytes": ("geo.ingest.upload", "report_csv_bytes"),
           "INGEST_FORMATS": ("geo.ingest.upload", "FORMAT_LABELS"), "UPLOAD_TYPES": ("geo.ingest.upload", "UPLOAD_TYPES"),
           "MAPPABLE_FORMATS": ("geo.ingest.upload", "MAPPABLE"),
           "linked_duplicates": ("geo.ingest.upload", "linked_duplicates"),
           "news_candidates": ("geo.news.candidates", "candidate_table"),
           "accepted_news_import": ("geo.news.candidates", "accepted_import"),
           "extract_news": ("geo.news.extract", "extract"), "news_to_events": ("geo.news.events", "to_events"),
           "ExtractError": ("geo.news.extract", "ExtractError")}
# Collections: the user's GeoParquet file or a team's PostGIS server, behind one interface (geo/store/).
_STORE = {"merge_import": ("geo.store.open", "merge_import"), "undo_import": ("geo.store.open", "undo_import"),
          "load_collection": ("geo.store.open", "load_collection"), "default_store": ("geo.store.open", "default_store"),
          "open_store": ("geo.store.open", "open_store"), "store_urls": ("geo.store.open", "store_urls"),
          "is_store_url": ("geo.store.open", "is_url"), "Store": ("geo.store.base", "Store"),
          "StoreError": ("geo.store.base", "StoreError"), "StoreBusy": ("geo.store.base", "StoreBusy"),
          "ImportRecord": ("geo.store.base", "ImportRecord"),
          "combine_collections": ("geo.store.base", "combine"), "imports_table": ("geo.store.base", "imports_table"), "MergeResult": ("geo.ingest.merge", "MergeResult")}
# geocode_place, not geocode: importing the geo.geocode package sets a package attribute of that name.
_GEOCODE = {"geocode_place": ("geo.geocode.geocoder", "geocode"), "geocode_many": ("geo.geocode.geocoder", "geocode_many"),
            "geocode_frame": ("geo.geocode.frame", "geocode_frame"),
            "learn_places": ("geo.geocode.user", "learn_places"), "Match": ("geo.geocode.geocoder", "Match"),
            "NoMatch": ("geo.geocode.geocoder", "NoMatch"), "reverse_geocode": ("geo.geocode.reverse", "reverse"),
            "GeocodeError": ("geo.errors", "GeocodeError")}

__all__ = [
    "ABOUT_TEXT", "CITATION_TEXT", "MEDIA_TYPES", "trends", "error_text", "escape_markdown",
    "ACLED_EVENT_TYPES", "ATTRIBUTIONS", "COLUMNS", "DATE_PRECISIONS", "DEFAULT_EVENTS", "FIELDS",
    "GEO_PRECISIONS", "OUTCOMES", "WEAPON_COLORS", "WEAPON_LABELS", "WEAPON_NAMES", "WEAPON_TYPES",
    "ExportError", "FilterError", "FilterSpec", "GeoError", "Problem", "ReadError", "SchemaError",
    "apply", "check_file", "display_table", "events_at", "file_stem", "records", "country_name", "csv_bytes", "describe", "format_for", "from_params",
    "geojson_bytes", "load_events", "mask", "read_events", "summarize", "to_bytes", "to_params", "write",
    *_MAPVIEW,
    *_TIMELINE,
    *_SNAPSHOT,
    *_REPORT,
    *_ANIMATE,
    *_INGEST,
    *_STORE,
    *_GEOCODE,
]


#: Names whose modules load only when first used: folium when a map is drawn, matplotlib for a static map, the
#: readers (pyarrow csv, openpyxl) for an import, rapidfuzz and the gazetteer for geocoding. So `python -m geo
#: export` starts fast.
_LAZY: dict[str, tuple[str, str]] = {
    **{name: ("geo.webmap", name) for name in _MAPVIEW},
    **_TIMELINE,
    **{name: ("geo.staticmap", name) for name in _SNAPSHOT},
    **{name: ("geo.report", name) for name in _REPORT},
    **_ANIMATE,
    **_INGEST,
    **_STORE,
    **_GEOCODE,
    **_FRAMES,
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = globals()[name] = getattr(importlib.import_module(module), attr)  # found once, then a plain global
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
