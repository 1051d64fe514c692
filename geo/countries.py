"""Country outlines of the bundled Natural Earth basemap (public domain): the one file every part shares.

The web map draws it, the static maps clip it, the gazetteer places countries on it, and the importers and the
reverse geocoder look up which country holds a point.
"""

from __future__ import annotations

from pathlib import Path

#: Natural Earth 1:50m admin-0 countries as GeoJSON (from npm ``world-atlas``; see geo/assets/web/README.md).
COUNTRIES_PATH = Path(__file__).resolve().parent / "assets" / "web" / "basemap" / "countries.geojson"
