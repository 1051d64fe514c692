"""The web map: events on an offline Leaflet map through folium (only mapview, layers and playback_layer import it).

``mapview`` builds maps (the full static one for reports, the fixed base of the drill-down map); ``drilldown``
turns one view into the feature group that the dashboard swaps in (``viewport`` aggregates the events in view,
``layers`` and ``playback_layer`` draw them); ``popups`` escapes every text shown; ``aggregate`` grids events
for the static map; ``cities`` chooses the place labels; ``assets`` knows the vendored files.
"""

from __future__ import annotations

from geo.webmap.aggregate import cell_events
from geo.webmap.drilldown import (View, dataset_points, filtered_points, playback_group, stack_members,
                                  view_features, view_group)
from geo.webmap.mapview import MAX_MARKERS, add_basemap, base_map, build_map, standalone_html, use_offline_assets
from geo.webmap.popups import escape_text
from geo.webmap.record import RECORD_CSS, feed_order, feed_page, link, read_view_params, record_html, view_params
from geo.webmap.viewport import points as map_points
from geo.webmap.viewport import weapons_present

__all__ = ["MAX_MARKERS", "View", "add_basemap", "base_map", "build_map", "cell_events", "escape_text",
           "dataset_points", "filtered_points", "map_points", "playback_group", "stack_members", "standalone_html", "use_offline_assets",
           "view_features", "view_group", "weapons_present", "RECORD_CSS", "feed_order", "feed_page", "link",
           "read_view_params", "record_html", "view_params"]
