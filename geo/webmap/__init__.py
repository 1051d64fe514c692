"""The web map: events on an offline Leaflet map through folium (the only package that imports folium).

``mapview`` builds the map; ``popups`` escapes every text it shows; ``aggregate`` grids events when there are too
many to draw one by one; ``cities`` chooses the place labels; ``assets`` knows the vendored Leaflet files and
inlines them into standalone HTML.
"""

from __future__ import annotations

from geo.webmap.aggregate import cell_events
from geo.webmap.mapview import MAX_MARKERS, build_map, standalone_html, use_offline_assets
from geo.webmap.popups import escape_text

__all__ = ["MAX_MARKERS", "build_map", "cell_events", "escape_text", "standalone_html", "use_offline_assets"]
