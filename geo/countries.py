"""Country outlines of the bundled Natural Earth basemap (public domain): the one file every part shares.

The web map draws it, the static maps clip it, the gazetteer places countries on it, and the importers and the
reverse geocoder look up which country holds a point.
"""

from __future__ import annotations

from pathlib import Path

#: Natural Earth 1:50m admin-0 countries as GeoJSON (from npm ``world-atlas``; see geo/assets/web/README.md).
COUNTRIES_PATH = Path(__file__).resolve().parent / "assets" / "web" / "basemap" / "countries.geojson"

#: ISO3 codes of the Natural Earth short names that differ from the names GeoNames and pycountry use.
NE_ISO3: dict[str, str] = {
    "Dem. Rep. Congo": "COD", "Central African Rep.": "CAF", "Bosnia and Herz.": "BIH", "W. Sahara": "ESH",
    "S. Sudan": "SSD", "Dominican Rep.": "DOM", "Eq. Guinea": "GNQ", "Solomon Is.": "SLB",
    "Falkland Is.": "FLK", "Fr. S. Antarctic Lands": "ATF", "N. Cyprus": "CYP", "Somaliland": "SOM",
    "Côte d'Ivoire": "CIV", "eSwatini": "SWZ", "Macedonia": "MKD", "Czechia": "CZE", "Kosovo": "XKX",
    "Palestine": "PSE", "Taiwan": "TWN", "United States of America": "USA", "Russia": "RUS",
    "Syria": "SYR", "Iran": "IRN", "Laos": "LAO", "Vietnam": "VNM", "North Korea": "PRK",
    "South Korea": "KOR", "Brunei": "BRN", "Bolivia": "BOL", "Venezuela": "VEN", "Tanzania": "TZA",
    "Moldova": "MDA", "Congo": "COG", "Timor-Leste": "TLS", "Cabo Verde": "CPV", "Micronesia": "FSM",
}
